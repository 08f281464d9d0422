using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// Accounts' own data, per tenant: password credentials by email, phone numbers by number, one-time codes, refresh
/// tokens and their families. Every conditional write says whether it happened, so concurrent requests agree.
/// </summary>
public interface IAccountStore
{
    /// <summary>Stores the credential; false when the tenant already has one for that email.</summary>
    Task<bool> TryCreateCredentialAsync(Credential credential, CancellationToken cancellationToken);

    Task<Credential?> FindCredentialAsync(TenantId tenantId, EmailAddress email, CancellationToken cancellationToken);

    /// <summary>The user's credential (a user has at most one), or null.</summary>
    Task<Credential?> FindCredentialOfUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash (a rehash at login) if the credential still has <paramref name="expectedHash"/>.</summary>
    Task<bool> ReplacePasswordHashAsync(TenantId tenantId, EmailAddress email, string expectedHash, string newHash, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the user's credential to <paramref name="to"/> (verified); false when another credential has that email.
    /// </summary>
    Task<bool> MoveCredentialAsync(TenantId tenantId, UserId userId, EmailAddress from, EmailAddress to, CancellationToken cancellationToken);

    /// <summary>Points the credential of <paramref name="email"/> at <paramref name="userId"/> and sets its hash and verified flag (email proven).</summary>
    Task ConfirmCredentialAsync(TenantId tenantId, EmailAddress email, UserId userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Gives the phone to <paramref name="candidate"/> unless someone has it; returns its owner.</summary>
    Task<UserId> ClaimPhoneAsync(TenantId tenantId, PhoneNumber phone, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserId?> FindPhoneOwnerAsync(TenantId tenantId, PhoneNumber phone, CancellationToken cancellationToken);

    /// <summary>Stores the code, replacing any live one for the same purpose and target.</summary>
    Task SaveCodeAsync(VerificationCode code, CancellationToken cancellationToken);

    Task<VerificationCode?> FindCodeAsync(TenantId tenantId, CodePurpose purpose, string target, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one guess against the code whose hash is <paramref name="hash"/> if it has fewer than
    /// <paramref name="maxAttempts"/>; false when it has none left (or was replaced or used meanwhile).
    /// </summary>
    Task<bool> TryTakeAttemptAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, int maxAttempts, CancellationToken cancellationToken);

    /// <summary>Deletes the code whose hash is <paramref name="hash"/>; false when it was already gone (used by a concurrent request, or replaced).</summary>
    Task<bool> TryDeleteCodeAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, CancellationToken cancellationToken);

    Task CreateRefreshFamilyAsync(RefreshFamily family, CancellationToken cancellationToken);

    Task<RefreshFamily?> FindRefreshFamilyAsync(TenantId tenantId, string familyId, CancellationToken cancellationToken);

    /// <summary>Revokes the family (no-op when it already is); its tokens refresh no more.</summary>
    Task RevokeRefreshFamilyAsync(TenantId tenantId, string familyId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Revokes every family of the user started before <paramref name="at"/> (sessions begun before an email was proven).</summary>
    Task RevokeRefreshFamiliesOfUserAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken);

    Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken);

    Task<RefreshToken?> FindRefreshTokenAsync(TenantId tenantId, string hash, CancellationToken cancellationToken);

    /// <summary>Marks the token used; false when it already was (a concurrent refresh, or a replay).</summary>
    Task<bool> TryUseRefreshTokenAsync(TenantId tenantId, string hash, DateTimeOffset at, CancellationToken cancellationToken);
}
