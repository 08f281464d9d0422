using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Cosmos;

/// <summary>
/// The npm Cosmos server's resource ids carry no "/" (tests/tools/cosmos/url-safe-rids.js): before that, every 64th
/// database got a rid like "gAA/AA==", the SDK's partition-key-range request by rid answered 404 and the first query
/// failed with "Stale cache for rid" — in whichever test happened to create that database.
/// </summary>
public sealed class CosmosResourceIdShimTests
{
    [CosmosFact]
    public async Task Queries_work_in_every_one_of_seventy_consecutive_new_databases()
    {
        var ridsWithDash = 0;
        for (var i = 0; i < 70; i++)
        {
            using var db = new CosmosDatabase(
                new CosmosOptions { Endpoint = CosmosTestSettings.Endpoint!, Key = CosmosTestSettings.Key, Database = $"rid-{Guid.NewGuid():N}", ConnectionMode = "Gateway", AcceptEmulatorCertificate = true },
                new StoreOperationCounter(),
                [CosmosContainers.Users]);
            await db.InitializeAsync(default);
            var users = db.Container(CosmosContainers.Users);
            var rid = (await users.Database.ReadAsync()).Resource.SelfLink;
            Assert.DoesNotContain('/', rid.Split('/', StringSplitOptions.RemoveEmptyEntries)[1]);
            ridsWithDash += rid.Contains('-', StringComparison.Ordinal) ? 1 : 0;
            using var iterator = users.GetItemQueryIterator<object>(new QueryDefinition("SELECT * FROM c"), requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add("t").Build() });
            Assert.Empty(await iterator.ReadNextAsync());
            using var deleted = await users.Database.DeleteStreamAsync();
        }

        Assert.True(ridsWithDash > 0, "70 databases in a row include one whose rid had a '/' (now '-'); none did, so this test proved nothing");
    }
}
