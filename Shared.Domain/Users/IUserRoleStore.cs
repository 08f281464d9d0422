using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>
/// The roles granted to users of a tenant (creator, shopkeeper, admin). <see cref="Role.User"/> is never stored: every
/// account holds it. Grants and revocations are idempotent and tell whether they changed anything.
/// </summary>
public interface IUserRoleStore
{
    /// <summary>The roles granted to the user (empty when none); read from the store every time, never cached.</summary>
    Task<IReadOnlySet<Role>> GetGrantedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Grants <paramref name="role"/>; false when the user held it already (nothing changed).</summary>
    Task<bool> GrantAsync(TenantId tenantId, UserId userId, Role role, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes <paramref name="role"/>; false when the user did not hold it (nothing changed).</summary>
    Task<bool> RevokeAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken);
}
