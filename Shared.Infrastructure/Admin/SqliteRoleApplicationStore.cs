using Microsoft.Data.Sqlite;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Admin;

/// <summary>Role applications in <c>role_applications</c>; a partial unique index allows one pending per user and role.</summary>
public sealed class SqliteRoleApplicationStore(SqliteDatabase db) : IRoleApplicationStore
{
    private const string Columns = "application_id, user_id, role, note, status, created_at_ms, decided_at_ms, reason";

    public Task<bool> TryCreateAsync(RoleApplication application, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO role_applications (tenant_id, {Columns}) VALUES ($t, $id, $u, $r, $n, 'pending', $at, NULL, NULL) ON CONFLICT DO NOTHING",
                ("$t", application.TenantId.Value),
                ("$id", application.Id),
                ("$u", application.UserId.Value),
                ("$r", application.Role.ToClaim()),
                ("$n", application.Note),
                ("$at", application.CreatedAt.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<RoleApplication?> GetAsync(TenantId tenantId, string id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM role_applications WHERE tenant_id = $t AND application_id = $id", ("$t", tenantId.Value), ("$id", id));
            return ReadAll(command, r => Read(tenantId, r)).SingleOrDefault();
        }));

    public Task<bool> TryDecideAsync(RoleApplication decided, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "UPDATE role_applications SET status = $s, decided_at_ms = $at, reason = $reason WHERE tenant_id = $t AND application_id = $id AND status = 'pending'",
                ("$s", RoleApplications.Format(decided.Status)),
                ("$at", decided.DecidedAt?.ToUnixTimeMilliseconds()),
                ("$reason", decided.Reason),
                ("$t", decided.TenantId.Value),
                ("$id", decided.Id)) == 1,
            cancellationToken);

    public Task<DateTimeOffset?> LastRejectedAtAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(
            c,
            null,
            "SELECT MAX(decided_at_ms) FROM role_applications WHERE tenant_id = $t AND user_id = $u AND role = $r AND status = 'rejected'",
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$r", role.ToClaim())) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null));

    public Task<IReadOnlyList<RoleApplication>> ListAsync(TenantId tenantId, RoleApplicationStatus status, string? afterId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RoleApplication>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM role_applications WHERE tenant_id = $t AND status = $s AND application_id > $after ORDER BY application_id LIMIT $max",
                ("$t", tenantId.Value),
                ("$s", RoleApplications.Format(status)),
                ("$after", afterId ?? ""),
                ("$max", max));
            return ReadAll(command, r => Read(tenantId, r));
        }));

    private static RoleApplication Read(TenantId tenantId, SqliteDataReader r) => new(
        tenantId,
        r.GetString(0),
        UserId.Parse(r.GetString(1)),
        RoleNames.TryParse(r.GetString(2), out var role) ? role : throw new FormatException($"Unknown role '{r.GetString(2)}' in role_applications."),
        r.IsDBNull(3) ? null : r.GetString(3),
        RoleApplications.TryParseStatus(r.GetString(4), out var status) ? status : throw new FormatException($"Unknown status '{r.GetString(4)}' in role_applications."),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
        r.IsDBNull(7) ? null : r.GetString(7));
}
