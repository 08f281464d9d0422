using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>
/// Admins grant and revoke roles (creator, shopkeeper, admin) to users of their own tenant. Both are idempotent: a
/// repeat changes nothing and appends nothing to the audit log; a change is audited (RoleGranted/RoleRevoked). A user of another tenant is "not found" (the lookup is scoped to the caller's tenant). Revoking admin
/// from an account that is admin by configuration (<c>admin_emails</c>) is refused: only configuration can undo it.
/// </summary>
public sealed class RoleAdministration(IUserDirectory users, IUserRoleStore grants, UserRoles roles, ITenantDirectory tenants, IAuditLog audit, TimeProvider time)
{
    public Task<Result<RoleChange>> GrantAsync(AdminCaller caller, string? userId, string? role, CancellationToken cancellationToken) =>
        ChangeAsync(caller, userId, role, grant: true, cancellationToken);

    public Task<Result<RoleChange>> RevokeAsync(AdminCaller caller, string? userId, string? role, CancellationToken cancellationToken) =>
        ChangeAsync(caller, userId, role, grant: false, cancellationToken);

    /// <summary>The role names an admin may grant or revoke ("user" is every account's and cannot be changed).</summary>
    public static bool TryParseGrantable(string? text, out Role role) => RoleNames.TryParse(text, out role) && role != Role.User;

    private async Task<Result<RoleChange>> ChangeAsync(AdminCaller caller, string? userId, string? roleText, bool grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!TryParseGrantable(roleText, out var role))
        {
            return Error.Validation("role", "One of: creator, shopkeeper, admin.");
        }

        if (!UserId.TryParse(userId, out var parsed) || await users.GetAsync(caller.TenantId, parsed.Value, cancellationToken) is not { } account)
        {
            return Error.NotFound("user_not_found", "No user with this id in this tenant.");
        }

        var tenant = await tenants.FindAsync(caller.TenantId, cancellationToken)
            ?? throw new InvalidOperationException($"Tenant {caller.TenantId} vanished during an admin request.");
        if (!grant && role == Role.Admin && UserRoles.IsConfiguredAdmin(tenant, account))
        {
            return new Error(ErrorKind.Conflict, "admin_by_configuration", "This account is an admin because its verified email is in the tenant's admin_emails; remove it there.");
        }

        var target = account.Id;
        var now = time.GetUtcNow();
        var changed = false;
        if ((await grants.GetGrantedAsync(caller.TenantId, target, cancellationToken)).Contains(role) != grant)
        {
            // Audited before the write: if the log cannot be written nothing changes, and a retry after a failed write
            // still finds the change to make (so no change is ever stored without its entry; at worst an entry records
            // an attempt whose write then failed, or a concurrent duplicate).
            await audit.AppendAsync(
                new AuditEntry(caller.TenantId, grant ? AuditActions.RoleGranted : AuditActions.RoleRevoked, caller.ActorId.Value, target.Value, now, caller.Address, caller.CorrelationId, new Dictionary<string, string> { ["role"] = role.ToClaim() }),
                cancellationToken);
            changed = grant
                ? await grants.GrantAsync(caller.TenantId, target, role, now, cancellationToken)
                : await grants.RevokeAsync(caller.TenantId, target, role, cancellationToken);
        }

        return new RoleChange(target, await roles.EffectiveAsync(tenant, target, cancellationToken), changed);
    }
}
