using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Cosmos;

/// <summary>
/// The npm Cosmos server's resource ids carry no "/" (tests/tools/cosmos/url-safe-rids.js): before that, every 64th
/// database got a rid like "gAA/AA==", the SDK's partition-key-range request by rid answered 404 and the first query
/// failed with "Stale cache for rid" — in whichever test happened to create that database. Fails without the fix.
/// </summary>
public sealed class CosmosResourceIdShimTests
{
    [CosmosFact]
    public async Task Queries_work_in_new_databases_until_one_whose_rid_had_a_slash()
    {
        // One database in 64 gets such a rid; other tests create databases in parallel and may take some of those, so
        // go on until this test has met one (bounded: 1,000 databases make missing every one practically impossible).
        var ridsWithDash = 0;
        for (var i = 0; i < 1_000 && ridsWithDash == 0; i++)
        {
            using var db = new CosmosDatabase(
                new CosmosOptions { Endpoint = CosmosTestSettings.Endpoint!, Key = CosmosTestSettings.Key, Database = $"rid-{Guid.NewGuid():N}", ConnectionMode = "Gateway", AcceptEmulatorCertificate = true },
                new StoreOperationCounter(),
                [CosmosContainers.Users]);
            await db.InitializeAsync(default);
            var users = db.Container(CosmosContainers.Users);
            var rid = (await users.Database.ReadAsync()).Resource.SelfLink;
            Assert.Equal(2, rid.Split('/', StringSplitOptions.RemoveEmptyEntries).Length); // "dbs" and the rid: no '/' inside it
            ridsWithDash += rid.Contains('-', StringComparison.Ordinal) ? 1 : 0;
            using var iterator = users.GetItemQueryIterator<object>(new QueryDefinition("SELECT * FROM c"), requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add("t").Build() });
            Assert.Empty(await iterator.ReadNextAsync());
            using var deleted = await users.Database.DeleteStreamAsync();
        }

        Assert.True(ridsWithDash > 0, "None of 1,000 new databases had a rid with a '/' (now '-'), so this test proved nothing");
    }
}
