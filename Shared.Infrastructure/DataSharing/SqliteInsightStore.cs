using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Anonymized aggregates, in their own tables (no column of them can hold a user id).</summary>
public sealed class SqliteInsightStore(SqliteDatabase db, TimeProvider time) : IInsightStore
{
    public Task<bool> IsDayDoneAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(c, null, "SELECT 1 FROM insight_days WHERE tenant_id = $t AND day = $d", ("$t", tenantId.Value), ("$d", Day(day))) is not null));

    public Task SaveDayAsync(TenantId tenantId, DateOnly day, IReadOnlyList<InsightRow> rows, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                foreach (var row in rows)
                {
                    w.Execute(
                        "INSERT INTO insights (tenant_id, day, metric, dimension, events, contributors) VALUES ($t, $d, $m, $dim, $e, $c) ON CONFLICT DO UPDATE SET events = excluded.events, contributors = excluded.contributors",
                        ("$t", tenantId.Value),
                        ("$d", Day(day)),
                        ("$m", row.Metric),
                        ("$dim", row.Dimension),
                        ("$e", row.Events),
                        ("$c", row.Contributors));
                }

                return w.Execute("INSERT INTO insight_days (tenant_id, day, done_at_ms) VALUES ($t, $d, $at) ON CONFLICT DO NOTHING", ("$t", tenantId.Value), ("$d", Day(day)), ("$at", time.GetUtcNow().ToUnixTimeMilliseconds()));
            },
            cancellationToken);

    public Task<IReadOnlyList<InsightRow>> ListAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InsightRow>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT metric, dimension, events, contributors FROM insights WHERE tenant_id = $t AND day = $d ORDER BY metric, dimension", ("$t", tenantId.Value), ("$d", Day(day)));
            return ReadAll(command, r => new InsightRow(tenantId, day, r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3)));
        }));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
