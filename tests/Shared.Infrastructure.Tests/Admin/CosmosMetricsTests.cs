namespace Shared.Infrastructure.Tests.Admin;

[CosmosStore]
public sealed class CosmosMetricsTests : MetricsScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
