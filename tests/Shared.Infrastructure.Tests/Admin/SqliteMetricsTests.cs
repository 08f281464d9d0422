namespace Shared.Infrastructure.Tests.Admin;

public sealed class SqliteMetricsTests : MetricsScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
