using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Cosmos;

/// <summary>
/// The query shapes the Cosmos adapters use, run through the real SDK (the adapters' own client options) against the
/// Cosmos server the tests use, each compared with the answer computed here from the seeded rows. It guards the test
/// server's shim (tests/tools/cosmos/): the query plan, partition-scoped and prefix (hierarchical) queries, paging
/// with continuation tokens, and document identity per full hierarchical key.
/// </summary>
public sealed class CosmosQueryShimTests : IAsyncLifetime, IDisposable
{
    private const long Base = 1_800_000_000_000;
    // Per user 8 rows with distinct times in a shuffled order (the ids are the same for every user on purpose; the other
    // tenant's times fall between those of the first tenant's users, so a query that is not scoped to its tenant gets a
    // different answer), and one marker document per user for the keyset paging of user ids.
    private static readonly IReadOnlyList<Row> Seed =
        [.. new[] { ("t1", "u1", 0), ("t1", "u2", 100), ("t1", "u0", 200), ("t2", "u3", 50) }
            .SelectMany(user => Enumerable.Range(0, 8).Select(i => new Row
            {
                Id = $"row-{i}",
                TenantId = user.Item1,
                UserId = user.Item2,
                Type = "row",
                AtMs = Base + user.Item3 + (i * 5 % 8),
            }).Append(new Row { Id = "marker", TenantId = user.Item1, UserId = user.Item2, Type = "marker", AtMs = Base }))];

    private CosmosDatabase? _db;
    private Container _users = null!;

    public async Task InitializeAsync()
    {
        if (CosmosTestSettings.Endpoint is null)
        {
            return;
        }

        _db = new CosmosDatabase(
            new CosmosOptions { Endpoint = CosmosTestSettings.Endpoint, Key = CosmosTestSettings.Key, Database = $"shim-{Guid.NewGuid():N}", ConnectionMode = "Gateway", AcceptEmulatorCertificate = true },
            new StoreOperationCounter(),
            [CosmosContainers.Users]);
        await _db.InitializeAsync(default);
        _users = _db.Container(CosmosContainers.Users);
        foreach (var row in Seed)
        {
            Assert.True(await _users.TryCreateAsync(row, Key(row.TenantId, row.UserId), default), $"{row.Id} of {row.UserId} was refused");
        }
    }

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            using var deleted = await _users.Database.DeleteStreamAsync();
        }
    }

    public void Dispose() => _db?.Dispose();

    [CosmosFact]
    public async Task Order_by_descending_within_a_full_key_pages_with_continuation_tokens()
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'row' ORDER BY c.at_ms DESC");
        var expected = Rows("t1", "u1").OrderByDescending(r => r.AtMs).Select(r => r.AtMs).ToList();

        var pages = new List<List<long>>();
        string? continuation = null;
        do
        {
            // A new iterator per page, from the previous page's token, as the feature-request history does.
            using var iterator = _users.GetItemQueryStreamIterator(query, continuation, new QueryRequestOptions { PartitionKey = Key("t1", "u1"), MaxItemCount = 3 });
            using var page = await iterator.ReadNextAsync();
            page.EnsureSuccessStatusCode();
            pages.Add([.. (await CosmosStreams.DeserializeAsync<Page>(page, default)).Documents.Select(r => r.AtMs)]);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && pages.Count < 10);

        Assert.Equal([3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(p => p));
    }

    [CosmosFact]
    public async Task A_typed_iterator_reads_every_page_of_an_ascending_query()
    {
        var rows = await ReadAllAsync<Row>(new QueryDefinition("SELECT * FROM c WHERE c.type = 'row' AND c.at_ms >= @from ORDER BY c.at_ms").WithParameter("@from", Base + 3), Key("t1", "u2"), maxItemCount: 2);

        Assert.Equal(Rows("t1", "u2").Where(r => r.AtMs >= Base + 3).OrderBy(r => r.AtMs).Select(r => (r.Id, r.AtMs)), rows.Select(r => (r.Id, r.AtMs)));
    }

    [CosmosFact]
    public async Task A_bounded_list_stops_at_max_even_inside_a_page_and_keeps_the_query_order()
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'row' ORDER BY c.at_ms");
        var ordered = Rows("t1", "u1").OrderBy(r => r.AtMs).Select(r => r.AtMs).ToList();

        var three = await CosmosQueries.ListAsync<Row>(_users, query, new QueryRequestOptions { PartitionKey = Key("t1", "u1"), MaxItemCount = 2 }, 3, default);
        var all = await CosmosQueries.ListAsync<Row>(_users, query, Key("t1", "u1"), default);

        Assert.Equal(ordered.Take(3), three.Select(r => r.AtMs));
        Assert.Equal(ordered, all.Select(r => r.AtMs));
    }

    [CosmosFact]
    public async Task A_tenant_prefix_query_sees_every_user_of_the_tenant_and_no_other_tenant()
    {
        var rows = await ReadAllAsync<Row>(
            new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'row' AND c.at_ms > @after ORDER BY c.at_ms").WithParameter("@max", 10).WithParameter("@after", Base + 4),
            TenantKey("t1"));

        var expected = Seed.Where(r => r.TenantId == "t1" && r.Type == "row" && r.AtMs > Base + 4).OrderBy(r => r.AtMs).Take(10);
        Assert.Equal(expected.Select(r => (r.UserId, r.Id)), rows.Select(r => (r.UserId, r.Id)));
        Assert.Equal(10, rows.Count);
    }

    [CosmosFact]
    public async Task Keyset_paging_of_user_ids_over_a_tenant_prefix_visits_each_user_once_in_order()
    {
        var query = "SELECT TOP @max c.userId FROM c WHERE c.type = 'marker' AND c.userId > @after ORDER BY c.userId";
        var seen = new List<string>();
        var after = "";
        for (var round = 0; round < 10; round++)
        {
            var page = await ReadAllAsync<UserRow>(new QueryDefinition(query).WithParameter("@max", 2).WithParameter("@after", after), TenantKey("t1"));
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(r => r.UserId));
            after = page[^1].UserId;
        }

        Assert.Equal(Seed.Where(r => r.TenantId == "t1" && r.Type == "marker").Select(r => r.UserId).Order(StringComparer.Ordinal), seen);
    }

    [CosmosFact]
    public async Task Aggregates_count_within_a_full_key_and_a_tenant_prefix()
    {
        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'row'");

        Assert.Equal(new[] { Rows("t2", "u3").Count() }, await ReadAllAsync<int>(query, Key("t2", "u3")));
        Assert.Equal(new[] { Seed.Count(r => r.TenantId == "t1" && r.Type == "row") }, await ReadAllAsync<int>(query, TenantKey("t1")));
    }

    [CosmosFact]
    public async Task Documents_with_the_same_id_under_two_users_of_one_tenant_are_two_documents()
    {
        var (first, _) = await _users.ReadAsync<Row>("row-1", Key("t1", "u1"), default);
        var (second, _) = await _users.ReadAsync<Row>("row-1", Key("t1", "u2"), default);
        var (missing, _) = await _users.ReadAsync<Row>("row-1", Key("t1", "nobody"), default);

        Assert.Equal(Rows("t1", "u1").Single(r => r.Id == "row-1").AtMs, first!.AtMs);
        Assert.Equal(Rows("t1", "u2").Single(r => r.Id == "row-1").AtMs, second!.AtMs);
        Assert.Null(missing);
        Assert.False(await _users.TryCreateAsync(Rows("t1", "u1").First(), Key("t1", "u1"), default)); // same id, same full key: a conflict
    }

    [CosmosFact]
    public async Task A_continuation_token_the_server_did_not_issue_is_refused()
    {
        var forged = JsonSerializer.Serialize(new[] { new { token = "not-a-token", range = new { min = "", max = "FF" } } });
        using var iterator = _users.GetItemQueryStreamIterator(
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'row' ORDER BY c.at_ms DESC"),
            forged,
            new QueryRequestOptions { PartitionKey = Key("t1", "u1"), MaxItemCount = 3 });
        using var page = await iterator.ReadNextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    private static IEnumerable<Row> Rows(string tenant, string user) => Seed.Where(r => r.TenantId == tenant && r.UserId == user && r.Type == "row");

    private static PartitionKey Key(string tenant, string user) => new PartitionKeyBuilder().Add(tenant).Add(user).Build();

    private static PartitionKey TenantKey(string tenant) => new PartitionKeyBuilder().Add(tenant).Build();

    private Task<List<T>> ReadAllAsync<T>(QueryDefinition query, PartitionKey key, int? maxItemCount = null) =>
        CosmosQueries.ListAsync<T>(_users, query, new QueryRequestOptions { PartitionKey = key, MaxItemCount = maxItemCount }, int.MaxValue, default);

    private sealed class Row
    {
        [JsonPropertyName("id")]
        public string Id { get; set; } = "";

        [JsonPropertyName("tenantId")]
        public string TenantId { get; set; } = "";

        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";

        [JsonPropertyName("type")]
        public string Type { get; set; } = "";

        [JsonPropertyName("at_ms")]
        public long AtMs { get; set; }
    }

    private sealed class UserRow
    {
        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";
    }

    private sealed class Page
    {
        [JsonPropertyName("Documents")]
        public List<Row> Documents { get; set; } = [];
    }
}
