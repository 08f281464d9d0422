using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Users;

/// <summary>One row per granted role; a grant is an insert that does nothing when the row exists, a revocation a delete.</summary>
public sealed class SqliteUserRoleStore(SqliteDatabase db) : IUserRoleStore
{
    public Task<IReadOnlySet<Role>> GetGrantedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<Role>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT role FROM user_roles WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
            // A role name this version does not know (written by a newer one) grants nothing here.
            return ReadAll(command, r => RoleNames.TryParse(r.GetString(0), out var role) ? role : (Role?)null).OfType<Role>().ToHashSet();
        }));

    public Task<bool> GrantAsync(TenantId tenantId, UserId userId, Role role, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO user_roles (tenant_id, user_id, role, granted_at_ms) VALUES ($t, $u, $r, $now) ON CONFLICT DO NOTHING",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$r", Stored(role)),
                ("$now", now.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<bool> RevokeAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("DELETE FROM user_roles WHERE tenant_id = $t AND user_id = $u AND role = $r", ("$t", tenantId.Value), ("$u", userId.Value), ("$r", Stored(role))) == 1,
            cancellationToken);

    private static string Stored(Role role) =>
        role == Role.User ? throw new ArgumentException("Every account is a user; that role is never stored.", nameof(role)) : role.ToClaim();
}
