using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>A person using one of a tenant's products, across any number of extension installations.</summary>
public sealed record UserAccount(TenantId TenantId, UserId Id, EmailAddress? Email, Role Role, DateTimeOffset CreatedAt);

/// <summary>
/// Which user an installation belongs to. <see cref="EmailSettled"/> is true once nothing more is to be done with an
/// email sent from this installation (the user has one, or the sent one belongs to someone else).
/// </summary>
public sealed record InstallationLink(UserId UserId, bool EmailSettled, bool CreatedNow);

/// <summary>Users and their installations. An installation, once linked to a user, stays with that user.</summary>
public interface IUserDirectory
{
    Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken);

    /// <summary>
    /// Links a new installation to the user owning <paramref name="email"/> or, failing that, to a new user with id
    /// <paramref name="candidate"/>. Safe under concurrent first calls: exactly one link wins and every caller gets it.
    /// </summary>
    Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? email, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records the email of a user who had none (false when the user has one or another user owns it) and marks the
    /// installation's email as settled either way, so later calls skip this.
    /// </summary>
    Task<bool> LinkEmailAsync(TenantId tenantId, ExtensionId extensionId, UserId userId, EmailAddress email, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Creates the user record if it is missing (self-healing after an interrupted registration).</summary>
    Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken);
}
