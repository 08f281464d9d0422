using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Usage;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Usage;

public sealed class SqliteUsageLogStore(SqliteDatabase db) : IUsageLogStore
{
    private const int RowsPerInsert = 50;

    public Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                // Multi-row inserts: one statement per 50 records instead of one per record.
                foreach (var chunk in records.Chunk(RowsPerInsert))
                {
                    var values = string.Join(", ", chunk.Select((_, i) => $"($t{i}, $u{i}, $a{i}, $o{i}, $at{i})"));
                    var parameters = chunk.SelectMany((r, i) => new (string, object?)[]
                    {
                        ($"$t{i}", r.TenantId.Value),
                        ($"$u{i}", r.UserId.Value),
                        ($"$a{i}", r.ActionType),
                        ($"$o{i}", ConsumeKindText.Format(r.Outcome)),
                        ($"$at{i}", r.At.ToUnixTimeMilliseconds()),
                    }).ToArray();
                    // One statement shape per chunk size (at most 50), interned so the writer keeps it prepared.
                    w.Execute(string.Intern($"INSERT INTO usage_log (tenant_id, user_id, action_type, outcome, at_ms) VALUES {values}"), parameters);
                }

                return records.Count;
            },
            cancellationToken);

    public Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UsageRecord>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT action_type, outcome, at_ms FROM usage_log WHERE tenant_id = $t AND user_id = $u AND at_ms >= $from AND at_ms < $to ORDER BY at_ms, id",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$from", from.ToUnixTimeMilliseconds()),
                ("$to", to.ToUnixTimeMilliseconds()));
            return ReadAll(command, r => ReadRecord(r, tenantId, userId));
        }));

    public Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UsageRecord>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT action_type, outcome, at_ms FROM usage_log WHERE tenant_id = $t AND user_id = $u ORDER BY at_ms DESC, id DESC LIMIT $max",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$max", max));
            return ReadAll(command, r => ReadRecord(r, tenantId, userId));
        }));

    /// <summary>A row of (action_type, outcome, at_ms).</summary>
    private static UsageRecord ReadRecord(SqliteDataReader r, TenantId tenantId, UserId userId) =>
        new(tenantId, userId, r.GetString(0), ConsumeKindText.Parse(r.GetString(1)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)));
}
