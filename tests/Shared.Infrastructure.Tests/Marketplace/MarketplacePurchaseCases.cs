namespace Shared.Infrastructure.Tests.Marketplace;

public sealed class SqliteMarketplacePurchaseTests : MarketplacePurchaseScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}

[CosmosStore]
public sealed class CosmosMarketplacePurchaseTests : MarketplacePurchaseScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
