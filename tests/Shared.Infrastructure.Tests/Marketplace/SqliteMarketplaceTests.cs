namespace Shared.Infrastructure.Tests.Marketplace;

public sealed class SqliteMarketplaceTests : MarketplaceScenarios
{
    protected override int PagingItems => 1000;

    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
