namespace Shared.Infrastructure.Tests.DataSharing;

[CosmosStore]
public sealed class CosmosDataSharingSaleTests : DataSharingSaleScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
