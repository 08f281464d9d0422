using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;
using Xunit;

namespace Shared.Infrastructure.Tests.Cosmos;

/// <summary>The read, change, replace-on-ETag loop of the Cosmos stores, with another writer getting there first.</summary>
[CosmosStore]
public sealed class CosmosEtagChangesTests
{
    [StoreFact]
    public async Task A_change_losing_to_another_writer_is_redone_on_the_fresh_document_and_gives_up_after_its_attempts()
    {
        await using var set = await StoreSet.CosmosAsync();
        var container = set.Get<CosmosDatabase>().Container(CosmosContainers.Campaigns);
        var key = new PartitionKeyBuilder().Add("alpha").Add("c1").Build();
        await container.UpsertItemAsync(new Counter(), key);
        void WriteMeanwhile() => Task.Run(async () =>
        {
            var (document, _) = await container.ReadAsync<Counter>(Counter.DocumentId, key, default);
            document!.Count += 100;
            await container.UpsertItemAsync(document, key);
        }).GetAwaiter().GetResult();

        // First attempt: another writer replaces the document after it was read → redone on the fresh one.
        var calls = 0;
        Assert.True(await container.ChangeAsync<Counter>(Counter.DocumentId, key, c =>
        {
            if (++calls == 1)
            {
                WriteMeanwhile();
            }

            c.Count += 1;
            return c;
        }, 5, "counter", default));
        Assert.Equal(2, calls);
        Assert.Equal(101, (await container.ReadAsync<Counter>(Counter.DocumentId, key, default)).Document!.Count);

        // Always losing: gives up after its attempts, having written nothing of its own.
        calls = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => container.ChangeAsync<Counter>(Counter.DocumentId, key, c =>
        {
            calls++;
            WriteMeanwhile();
            c.Count += 1;
            return c;
        }, 3, "counter", default));
        Assert.Contains("counter changed under 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, calls);
        Assert.Equal(401, (await container.ReadAsync<Counter>(Counter.DocumentId, key, default)).Document!.Count);

        // Nothing to write, or no document: false, nothing written.
        Assert.False(await container.ChangeAsync<Counter>(Counter.DocumentId, key, _ => null, 3, "counter", default));
        Assert.False(await container.ChangeAsync<Counter>("missing", key, c => c, 3, "counter", default));
        Assert.Equal(401, (await container.ReadAsync<Counter>(Counter.DocumentId, key, default)).Document!.Count);
    }

    public sealed class Counter
    {
        public const string DocumentId = "etag_test_counter";

        [JsonPropertyName("id")]
        public string Id { get; set; } = DocumentId;

        [JsonPropertyName("tenantId")]
        public string TenantId { get; set; } = "alpha";

        [JsonPropertyName("campaignId")]
        public string CampaignId { get; set; } = "c1";

        [JsonPropertyName("count")]
        public long Count { get; set; }
    }
}
