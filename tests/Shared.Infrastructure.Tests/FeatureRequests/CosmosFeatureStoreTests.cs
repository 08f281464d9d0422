namespace Shared.Infrastructure.Tests.FeatureRequests;

[CosmosStore]
public sealed class CosmosFeatureStoreTests : FeatureStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();
}
