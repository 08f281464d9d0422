using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Audit;

/// <summary>
/// The audit log in the embedded store: one row per entry, keyed by tenant and a time-ordered sort key. Nothing here
/// updates or deletes an entry except erasure, which replaces the erased user's id by a pseudonym and generalises
/// the address of the entries they acted in (the entries themselves stay).
/// </summary>
public sealed class SqliteAuditLog(SqliteDatabase db) : IAuditLog, IPersonalDataStore
{
    private const string Columns = "sort_key, action, actor_id, target_id, at_ms, address, correlation_id, details_json";

    public string Section => "audit";

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO audit_log (tenant_id, {Columns}) VALUES ($t, $key, $action, $actor, $target, $at, $address, $correlation, $details)",
                ("$t", entry.TenantId.Value),
                ("$key", AuditKeys.NewSortKey(entry.At)),
                ("$action", entry.Action),
                ("$actor", entry.ActorId),
                ("$target", entry.TargetId),
                ("$at", entry.At.ToUnixTimeMilliseconds()),
                ("$address", entry.Address),
                ("$correlation", entry.CorrelationId),
                ("$details", entry.Details is null ? null : JsonSerializer.Serialize(entry.Details))),
            cancellationToken);

    public Task<AuditPage> ListAsync(TenantId tenantId, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var after = continuation is null ? null : AuditKeys.DecodeContinuation(continuation);
        var size = AuditKeys.ClampPageSize(pageSize);
        return Task.FromResult(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM audit_log WHERE tenant_id = $t AND ($after IS NULL OR sort_key < $after) ORDER BY sort_key DESC LIMIT $n",
                ("$t", tenantId.Value),
                ("$after", after),
                ("$n", size + 1));
            var rows = ReadAll(command, r => (Key: r.GetString(0), Entry: Read(r, tenantId)));
            var more = rows.Count > size;
            var page = rows.Take(size).ToList();
            return new AuditPage([.. page.Select(p => p.Entry)], more ? AuditKeys.EncodeContinuation(page[^1].Key) : null);
        }));
    }

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM audit_log WHERE tenant_id = $t AND (actor_id = $u OR target_id = $u) ORDER BY sort_key", ("$t", tenantId.Value), ("$u", userId.Value));
            var records = ReadAll(command, r => new PersonalDataRecord("audit_entry", AuditKeys.Fields(Read(r, tenantId))));
            return new PersonalDataSection(Section, records);
        }));

    /// <summary>Kept (security and legal record) but de-identified: the user's id becomes a pseudonym, their address its network.</summary>
    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.Of(tenantId, userId); // the erasure's own entry names the same pseudonym
        return db.WriteAsync(
            w =>
            {
                var naming = Convert.ToInt32(w.Scalar("SELECT COUNT(*) FROM audit_log WHERE tenant_id = $t AND (actor_id = $u OR target_id = $u)", ("$t", tenantId.Value), ("$u", userId.Value)), System.Globalization.CultureInfo.InvariantCulture);
                var acted = new List<(string Key, string? Address)>();
                using (var reader = w.Query("SELECT sort_key, address FROM audit_log WHERE tenant_id = $t AND actor_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)))
                {
                    while (reader.Read())
                    {
                        acted.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                    }
                }

                foreach (var (key, address) in acted)
                {
                    w.Execute("UPDATE audit_log SET actor_id = $p, address = $a WHERE tenant_id = $t AND sort_key = $k", ("$p", pseudonym), ("$a", AuditAddress.Generalise(address)), ("$t", tenantId.Value), ("$k", key));
                }

                w.Execute("UPDATE audit_log SET target_id = $p WHERE tenant_id = $t AND target_id = $u", ("$p", pseudonym), ("$t", tenantId.Value), ("$u", userId.Value));
                return naming;
            },
            cancellationToken);
    }

    private static AuditEntry Read(SqliteDataReader r, TenantId tenantId) => new(
        tenantId,
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(7)));
}
