using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>
/// Users and their installations. An installation, once linked to a user, stays with that user. No method looks a
/// user up by an unverified email.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The most distinct ids one <see cref="GetDisplayNamesAsync"/> call takes (a page holds at most 100).</summary>
    public const int MaxDisplayNameBatch = 500;

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

    /// <summary>The user whose VERIFIED email is <paramref name="verified"/>, or null (accounts: a proven email joins its owner).</summary>
    Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the user's verified email to <paramref name="verified"/> (a change of address proven by a code); false,
    /// and nothing changed, when another user has it.
    /// </summary>
    Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>
    /// The display names of <paramref name="userIds"/> in <paramref name="tenantId"/>, in one store read (a page's
    /// creators or raters). Every user that <see cref="GetAsync"/> would find is a key, with its display name (null
    /// when none is set); an id <see cref="GetAsync"/> would not find (unknown, erased, or another tenant's user) is
    /// absent, never mapped to another tenant's name. Duplicates are read once. At most <see cref="MaxDisplayNameBatch"/>
    /// distinct ids, else <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken);

    /// <summary>Sets (or clears, with null) the user's display name; false when the user does not exist.</summary>
    Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken);

    /// <summary>Creates the user record if it is missing (self-healing after an interrupted registration).</summary>
    Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken);
}
