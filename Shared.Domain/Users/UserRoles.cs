using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Users;

/// <summary>
/// A user's effective roles in a tenant, the one answer every token issuance and every admin check uses:
/// <see cref="Role.User"/>, the stored grants (<see cref="IUserRoleStore"/>), and <see cref="Role.Admin"/> while the
/// user's VERIFIED email is in the tenant's <c>admin_emails</c> (an unverified or contact email never counts). Grants
/// are read from the store on every call, so an admin check made with this sees a revocation at once; a token carries
/// the roles it was issued with until it is renewed.
/// </summary>
public sealed class UserRoles(IUserRoleStore grants, IUserDirectory users, ITenantDirectory tenants)
{
    public async Task<IReadOnlySet<Role>> EffectiveAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(tenantId, cancellationToken);
        return tenant is null ? new HashSet<Role> { Role.User } : await EffectiveAsync(tenant, userId, cancellationToken);
    }

    public async Task<IReadOnlySet<Role>> EffectiveAsync(Tenant tenant, UserId userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var roles = new HashSet<Role>(await grants.GetGrantedAsync(tenant.Id, userId, cancellationToken)) { Role.User };
        // The user record is read only for tenants that name admins by email (most name none).
        if (tenant.AdminEmails.Count > 0 && !roles.Contains(Role.Admin) && IsConfiguredAdmin(tenant, await users.GetAsync(tenant.Id, userId, cancellationToken)))
        {
            roles.Add(Role.Admin);
        }

        return roles;
    }

    /// <summary>Whether the user is an admin by configuration (their verified email is listed), which no revocation can undo.</summary>
    public static bool IsConfiguredAdmin(Tenant tenant, UserAccount? user) =>
        tenant is not null && user is not null && tenant.IsConfiguredAdmin(user.VerifiedEmail);
}
