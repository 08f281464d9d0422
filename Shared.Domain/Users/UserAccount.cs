using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>
/// A person using one of a tenant's products, across any number of extension installations.
/// <see cref="VerifiedEmail"/> was proven (an ID token of the tenant's identity provider) and is unique in the tenant:
/// it is the only email that ever links an installation to this user. <see cref="ContactEmail"/> is what an
/// installation typed when the user was created: unverified, not unique, never used to find anyone.
/// </summary>
public sealed record UserAccount(TenantId TenantId, UserId Id, EmailAddress? VerifiedEmail, EmailAddress? ContactEmail, Role Role, DateTimeOffset CreatedAt)
{
    /// <summary>Where to write to the user (e.g. the payment provider's receipts): the verified address, else the contact one.</summary>
    public EmailAddress? Email => VerifiedEmail ?? ContactEmail;
}

/// <summary>Which user an installation belongs to; <see cref="CreatedNow"/> when this call made the link.</summary>
public sealed record InstallationLink(UserId UserId, bool CreatedNow);

/// <summary>
/// Users and their installations. An installation, once linked to a user, stays with that user. No method looks a
/// user up by an unverified email.
/// </summary>
public interface IUserDirectory
{
    Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken);

    /// <summary>
    /// Links a new installation to a new user with id <paramref name="candidate"/>, keeping <paramref name="contact"/>
    /// as that user's unverified contact email (never looked up, never unique). Safe under concurrent first calls:
    /// exactly one link wins and every caller gets it.
    /// </summary>
    Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Links a new installation to the user whose verified email is <paramref name="verified"/> or, when nobody's is, to
    /// a new user with id <paramref name="candidate"/> who gets it. When the installation is already linked (a
    /// concurrent first call won), that link is returned unchanged with <c>CreatedNow</c> false.
    /// </summary>
    Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives <paramref name="userId"/> the verified email <paramref name="verified"/> unless someone else has it or the user has another one.</summary>
    Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Creates the user record if it is missing (self-healing after an interrupted registration).</summary>
    Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken);
}
