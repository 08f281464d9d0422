using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Tests.Wallets;

[CosmosStore]
public sealed class CosmosWalletTests : WalletScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);

    protected override async Task<List<long>> PseudonymousAmountsAsync(StoreSet set)
    {
        var amounts = new List<long>();
        using var iterator = set.Get<CosmosDatabase>().Container(CosmosContainers.Users).GetItemQueryIterator<long>(
            new QueryDefinition("SELECT VALUE c.amount FROM c WHERE c.type = 'wallet_entry' AND STARTSWITH(c.userId, 'erased-')"),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(Alpha.Value).Build() });
        while (iterator.HasMoreResults)
        {
            amounts.AddRange(await iterator.ReadNextAsync());
        }

        return amounts;
    }
}
