using Shared.Infrastructure.Admin;
using Shared.Infrastructure.Sqlite;
using Xunit;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Tests.Admin;

public sealed class SqliteMetricsTests : MetricsScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);

    [Fact]
    public async Task Uses_per_day_are_read_through_the_tenant_and_time_index()
    {
        await using var store = await StoreAsync();
        var plan = store.Get<SqliteDatabase>().Read(c =>
        {
            using var command = Command(c, null, "EXPLAIN QUERY PLAN " + SqliteAdminMetricsSource.UsesPerDaySql, ("$t", "alpha"), ("$from", 0L), ("$to", 1L), ("$day", 86_400_000L));
            return string.Join(" | ", ReadAll(command, r => r.GetString(3)));
        });

        // A range over the tenant's instants, not a walk of every user's log.
        Assert.Contains("USING INDEX usage_log_by_tenant_time (tenant_id=? AND at_ms>? AND at_ms<?)", plan, StringComparison.Ordinal);
    }
}
