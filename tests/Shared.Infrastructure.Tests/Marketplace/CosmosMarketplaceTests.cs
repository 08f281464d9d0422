namespace Shared.Infrastructure.Tests.Marketplace;

/// <summary>
/// The same scenarios through the npm Cosmos server. Paging runs over 300 items there instead of 1,000: the server
/// evaluates every query over every document in JavaScript, so 1,000 items times every filter and order would take
/// minutes; the query text and paging logic are the same for any count.
/// </summary>
[CosmosStore]
public sealed class CosmosMarketplaceTests : MarketplaceScenarios
{
    protected override int PagingItems => 300;

    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
