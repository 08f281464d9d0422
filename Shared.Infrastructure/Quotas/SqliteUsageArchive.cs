using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Quotas;

/// <summary>Reads the <c>usage_archive</c> rows <see cref="SqliteQuotaStore.RollOverAsync"/> writes with each reset.</summary>
public sealed class SqliteUsageArchive(SqliteDatabase db) : IUsageArchive
{
    public Task<IReadOnlyList<UsageArchiveEntry>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UsageArchiveEntry>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT period_start_ms, period_end_ms, plan_id, used FROM usage_archive WHERE tenant_id = $t AND user_id = $u ORDER BY period_start_ms", ("$t", tenantId.Value), ("$u", userId.Value));
            return ReadAll(command, r => new UsageArchiveEntry(tenantId, userId, PlanId.Parse(r.GetString(2)), new UsagePeriod(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1))), r.GetInt32(3)));
        }));
}
