using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Cosmos;

/// <summary>
/// TransactionalBatch and conditional patch through the real SDK (the adapters' own client options, Gateway mode) against
/// the Cosmos server the tests use. They guard the test server's shim (tests/tools/cosmos/transactional-batch.js,
/// hybrid-row.js, conditional-patch.js): the SDK's binary batch request and response, all-or-nothing execution with the
/// failing operation's status and 424 for the others, ETag conditions under concurrency, hierarchical partition keys,
/// and a patch's filter predicate evaluated against the patched document only. Every outcome is read back.
/// </summary>
public sealed class CosmosBatchShimTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "t1";
    private const string User = "u1";

    private CosmosDatabase? _db;
    private Container _users = null!;
    private Container _tenants = null!;

    public async Task InitializeAsync()
    {
        if (CosmosTestSettings.Endpoint is null)
        {
            return;
        }

        _db = new CosmosDatabase(
            new CosmosOptions { Endpoint = CosmosTestSettings.Endpoint, Key = CosmosTestSettings.Key, Database = $"batch-{Guid.NewGuid():N}", ConnectionMode = "Gateway", AcceptEmulatorCertificate = true },
            new StoreOperationCounter(),
            [CosmosContainers.Users, CosmosContainers.Tenants]);
        await _db.InitializeAsync(default);
        _users = _db.Container(CosmosContainers.Users); // [/tenantId, /userId]
        _tenants = _db.Container(CosmosContainers.Tenants); // [/tenantId]
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
    public async Task A_batch_of_create_replace_patch_and_read_commits_every_operation_in_order()
    {
        var walletEtag = await CreateAsync(Wallet(Tenant, User, 100));
        var statsEtag = await CreateAsync(Stats(Tenant, User));

        using var response = await _users.CreateTransactionalBatch(Key(Tenant, User))
            .CreateItem(Entry(Tenant, User, "entry-1", -30))
            .ReplaceItem("wallet", Wallet(Tenant, User, 70), new TransactionalBatchItemRequestOptions { IfMatchEtag = walletEtag })
            .PatchItem("stats", [PatchOperation.Increment("/entries", 1), PatchOperation.Set("/lastEntry", "entry-1")])
            .ReadItem("wallet")
            .ExecuteAsync();

        Assert.True(response.IsSuccessStatusCode, response.ErrorMessage);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], response.Select(r => r.StatusCode));
        Assert.All(response, r => Assert.False(string.IsNullOrEmpty(r.ETag)));

        // The read after the replace, in the same batch, sees the replaced document.
        var readInBatch = response.GetOperationResultAtIndex<Doc>(3).Resource;
        Assert.Equal(70, readInBatch.Balance);
        Assert.Equal(response[1].ETag, response[3].ETag);

        var (wallet, walletEtagNow) = await ReadAsync("wallet", Key(Tenant, User));
        Assert.Equal(70, wallet!.Balance);
        Assert.Equal(response[1].ETag, walletEtagNow);
        Assert.NotEqual(walletEtag, walletEtagNow);
        var (stats, statsEtagNow) = await ReadAsync("stats", Key(Tenant, User));
        Assert.Equal(1, stats!.Entries);
        Assert.Equal("entry-1", stats.LastEntry);
        Assert.Equal(response[2].ETag, statsEtagNow);
        Assert.NotEqual(statsEtag, statsEtagNow);
        var (entry, entryEtag) = await ReadAsync("entry-1", Key(Tenant, User));
        Assert.Equal(-30, entry!.Amount);
        Assert.Equal(response[0].ETag, entryEtag);
        Assert.True(entry.Ts > 0, "_ts is set on a document created in a batch");
    }

    [CosmosFact]
    public Task A_batch_with_a_create_of_an_existing_id_changes_nothing_and_reports_409() =>
        AssertFailedBatchChangesNothingAsync(
            (batch, _) => batch.CreateItem(Wallet(Tenant, User, 5)),
            HttpStatusCode.Conflict);

    [CosmosFact]
    public Task A_batch_with_a_stale_if_match_changes_nothing_and_reports_412() =>
        AssertFailedBatchChangesNothingAsync(
            (batch, staleEtag) => batch.ReplaceItem("wallet", Wallet(Tenant, User, 5), new TransactionalBatchItemRequestOptions { IfMatchEtag = staleEtag }),
            HttpStatusCode.PreconditionFailed);

    [CosmosFact]
    public Task A_batch_with_a_replace_of_a_missing_document_changes_nothing_and_reports_404() =>
        AssertFailedBatchChangesNothingAsync(
            (batch, _) => batch.ReplaceItem("missing", new Doc { Id = "missing", TenantId = Tenant, UserId = User, Type = "wallet" }),
            HttpStatusCode.NotFound);

    [CosmosFact]
    public Task A_batch_with_a_patch_whose_filter_predicate_is_false_changes_nothing_and_reports_412() =>
        AssertFailedBatchChangesNothingAsync(
            (batch, _) => batch.PatchItem("wallet", [PatchOperation.Increment("/balance", -500)], new TransactionalBatchPatchItemRequestOptions { FilterPredicate = "from c where c.balance >= 500" }),
            HttpStatusCode.PreconditionFailed);

    [CosmosFact]
    public Task A_batch_with_a_document_of_another_partition_changes_nothing_and_reports_400() =>
        AssertFailedBatchChangesNothingAsync(
            (batch, _) => batch.CreateItem(Entry(Tenant, "someone-else", "entry-x", 1)),
            HttpStatusCode.BadRequest);

    [CosmosFact]
    public async Task Parallel_debits_with_if_match_win_once_per_version_and_lose_no_update()
    {
        const int Debits = 20;
        const long Initial = 1_000;
        const long Amount = 10;
        var etag = await CreateAsync(Wallet(Tenant, User, Initial));
        var winningEtags = new ConcurrentBag<string>();

        // Round 1: every debit holds the same version of the wallet, so exactly one of them may commit.
        var first = await Task.WhenAll(Enumerable.Range(0, Debits).Select(async i =>
        {
            using var response = await DebitAsync(i, Initial, etag, Amount);
            return (i, response.StatusCode, Statuses: response.Select(r => r.StatusCode).ToList());
        }));
        var winner = Assert.Single(first, r => r.StatusCode == HttpStatusCode.OK);
        winningEtags.Add(etag);
        Assert.All(first.Where(r => r.i != winner.i), r =>
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode);
            Assert.Equal([HttpStatusCode.PreconditionFailed, HttpStatusCode.FailedDependency], r.Statuses);
        });
        Assert.Single(await EntriesAsync()); // the losers' ledger entries were rolled back with their debit

        // Round 2: the others retry from a fresh read until they commit (bounded); each commit needs its own version.
        var attempts = 0;
        await Task.WhenAll(first.Where(r => r.i != winner.i).Select(async r =>
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                Interlocked.Increment(ref attempts);
                var (wallet, current) = await ReadAsync("wallet", Key(Tenant, User));
                using var response = await DebitAsync(r.i, wallet!.Balance, current!, Amount);
                if (response.IsSuccessStatusCode)
                {
                    winningEtags.Add(current!);
                    return;
                }

                Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            }

            Assert.Fail($"debit {r.i} did not commit within 200 attempts");
        }));

        var (final, _) = await ReadAsync("wallet", Key(Tenant, User));
        var entries = await EntriesAsync();
        Assert.Equal(Debits, entries.Count);
        Assert.Equal(Enumerable.Range(0, Debits).Select(i => $"debit-{i}").Order(StringComparer.Ordinal), entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Initial - (Debits * Amount), final!.Balance);
        Assert.Equal(Initial + entries.Sum(e => e.Amount), final.Balance);
        Assert.Equal(Debits, winningEtags.Distinct(StringComparer.Ordinal).Count()); // one commit per version
        Assert.True(attempts >= Debits - 1, $"{attempts} attempts");
    }

    [CosmosFact]
    public async Task Batches_with_the_same_ids_under_two_users_of_one_tenant_are_separate()
    {
        await CreateAsync(Wallet(Tenant, "u1", 10));
        await CreateAsync(Wallet(Tenant, "u2", 20));

        using var first = await _users.CreateTransactionalBatch(Key(Tenant, "u1"))
            .CreateItem(Entry(Tenant, "u1", "entry-1", 1))
            .PatchItem("wallet", [PatchOperation.Increment("/balance", 1)])
            .ExecuteAsync();
        using var second = await _users.CreateTransactionalBatch(Key(Tenant, "u2"))
            .CreateItem(Entry(Tenant, "u2", "entry-1", 2))
            .PatchItem("wallet", [PatchOperation.Increment("/balance", 2)])
            .ExecuteAsync();
        using var failing = await _users.CreateTransactionalBatch(Key(Tenant, "u2"))
            .PatchItem("wallet", [PatchOperation.Increment("/balance", 100)])
            .CreateItem(Entry(Tenant, "u2", "entry-1", 3))
            .ExecuteAsync();

        Assert.True(first.IsSuccessStatusCode, first.ErrorMessage);
        Assert.True(second.IsSuccessStatusCode, second.ErrorMessage);
        Assert.Equal(HttpStatusCode.Conflict, failing.StatusCode);
        Assert.Equal([HttpStatusCode.FailedDependency, HttpStatusCode.Conflict], failing.Select(r => r.StatusCode));
        Assert.Equal(11, (await ReadAsync("wallet", Key(Tenant, "u1"))).Doc!.Balance);
        Assert.Equal(22, (await ReadAsync("wallet", Key(Tenant, "u2"))).Doc!.Balance);
        Assert.Equal(1, (await ReadAsync("entry-1", Key(Tenant, "u1"))).Doc!.Amount);
        Assert.Equal(2, (await ReadAsync("entry-1", Key(Tenant, "u2"))).Doc!.Amount);
    }

    [CosmosFact]
    public async Task A_batch_with_only_a_tenant_prefix_of_a_hierarchical_key_is_refused()
    {
        using var response = await _users.CreateTransactionalBatch(new PartitionKeyBuilder().Add(Tenant).Build())
            .CreateItem(Entry(Tenant, User, "entry-1", 1))
            .ExecuteAsync();

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _users.ReadItemStreamAsync("entry-1", Key(Tenant, User))).StatusCode);
    }

    [CosmosFact]
    public async Task A_batch_on_a_single_path_container_upserts_deletes_and_rolls_back()
    {
        var key = new PartitionKey("tenant-a");
        using (var seeded = await _tenants.CreateTransactionalBatch(key)
            .CreateItem(new TenantDoc { Id = "a", TenantId = "tenant-a", Name = "first" })
            .CreateItem(new TenantDoc { Id = "b", TenantId = "tenant-a", Name = "second" })
            .ExecuteAsync())
        {
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], seeded.Select(r => r.StatusCode));
        }

        using (var failed = await _tenants.CreateTransactionalBatch(key)
            .UpsertItem(new TenantDoc { Id = "a", TenantId = "tenant-a", Name = "changed" })
            .DeleteItem("b")
            .UpsertItem(new TenantDoc { Id = "c", TenantId = "tenant-a", Name = "new" })
            .DeleteItem("missing")
            .ExecuteAsync())
        {
            Assert.Equal(HttpStatusCode.NotFound, failed.StatusCode);
            Assert.Equal([HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.NotFound], failed.Select(r => r.StatusCode));
        }

        Assert.Equal("first", (await _tenants.ReadItemAsync<TenantDoc>("a", key)).Resource.Name);
        Assert.Equal("second", (await _tenants.ReadItemAsync<TenantDoc>("b", key)).Resource.Name);
        using (var missing = await _tenants.ReadItemStreamAsync("c", key))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var committed = await _tenants.CreateTransactionalBatch(key)
            .UpsertItem(new TenantDoc { Id = "a", TenantId = "tenant-a", Name = "changed" })
            .DeleteItem("b")
            .UpsertItem(new TenantDoc { Id = "c", TenantId = "tenant-a", Name = "new" })
            .ExecuteAsync())
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.Created], committed.Select(r => r.StatusCode));
        }

        Assert.Equal("changed", (await _tenants.ReadItemAsync<TenantDoc>("a", key)).Resource.Name);
        Assert.Equal("new", (await _tenants.ReadItemAsync<TenantDoc>("c", key)).Resource.Name);
        using (var deleted = await _tenants.ReadItemStreamAsync("b", key))
        {
            Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        }
    }

    [CosmosFact]
    public async Task Fifty_parallel_conditional_increments_stop_exactly_at_the_limit()
    {
        const int Limit = 30;
        const int Attempts = 50;
        await CreateAsync(Quota(Tenant, User, used: 0, max: Limit));
        await CreateAsync(Quota(Tenant, "u2", used: 0, max: 1_000)); // same id, same tenant, another user

        var statuses = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(async _ =>
        {
            using var response = await _users.PatchItemStreamAsync(
                "quota",
                Key(Tenant, User),
                [PatchOperation.Increment("/usedCount", 1)],
                new PatchItemRequestOptions { FilterPredicate = "from c where c.usedCount < c.maxCount" });
            return response.StatusCode;
        }));

        Assert.Equal(Limit, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Attempts - Limit, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        Assert.Equal(Limit, (await ReadAsync("quota", Key(Tenant, User))).Doc!.UsedCount);
        Assert.Equal(0, (await ReadAsync("quota", Key(Tenant, "u2"))).Doc!.UsedCount);
    }

    [CosmosFact]
    public async Task A_patch_condition_is_evaluated_against_the_patched_document_only()
    {
        await CreateAsync(Quota(Tenant, "full", used: 5, max: 5));
        await CreateAsync(Quota(Tenant, "room", used: 0, max: 5)); // same id under another user of the tenant

        using var refused = await _users.PatchItemStreamAsync(
            "quota",
            Key(Tenant, "full"),
            [PatchOperation.Increment("/usedCount", 1)],
            new PatchItemRequestOptions { FilterPredicate = "from c where c.usedCount < c.maxCount" });
        using var accepted = await _users.PatchItemStreamAsync(
            "quota",
            Key(Tenant, "room"),
            [PatchOperation.Increment("/usedCount", 1)],
            new PatchItemRequestOptions { FilterPredicate = "FROM root r WHERE r.usedCount < r.maxCount" });
        using var invalid = await _users.PatchItemStreamAsync(
            "quota",
            Key(Tenant, "room"),
            [PatchOperation.Increment("/usedCount", 1)],
            new PatchItemRequestOptions { FilterPredicate = "from c where c.usedCount <" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(5, (await ReadAsync("quota", Key(Tenant, "full"))).Doc!.UsedCount);
        Assert.Equal(1, (await ReadAsync("quota", Key(Tenant, "room"))).Doc!.UsedCount);
    }

    /// <summary>
    /// Runs [create entry, patch wallet, the failing operation, upsert stats] and checks that the batch reports the
    /// failing operation's status (424 for the others) and that nothing it did before the failure remains.
    /// </summary>
    private async Task AssertFailedBatchChangesNothingAsync(Func<TransactionalBatch, string, TransactionalBatch> addFailing, HttpStatusCode expected)
    {
        var staleEtag = await CreateAsync(Wallet(Tenant, User, 100));
        using (var bumped = await _users.PatchItemStreamAsync("wallet", Key(Tenant, User), [PatchOperation.Set("/note", "bumped")]))
        {
            Assert.Equal(HttpStatusCode.OK, bumped.StatusCode);
        }

        var (walletBefore, walletEtag) = await ReadAsync("wallet", Key(Tenant, User));
        var statsEtag = await CreateAsync(Stats(Tenant, User));

        var batch = _users.CreateTransactionalBatch(Key(Tenant, User))
            .CreateItem(Entry(Tenant, User, "entry-1", -30))
            .PatchItem("wallet", [PatchOperation.Increment("/balance", -30)], new TransactionalBatchPatchItemRequestOptions { IfMatchEtag = walletEtag });
        using var response = await addFailing(batch, staleEtag)
            .UpsertItem(Stats(Tenant, User, entries: 9))
            .ExecuteAsync();

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal([HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, expected, HttpStatusCode.FailedDependency], response.Select(r => r.StatusCode));

        var (wallet, walletEtagAfter) = await ReadAsync("wallet", Key(Tenant, User));
        Assert.Equal(walletBefore!.Balance, wallet!.Balance);
        Assert.Equal(walletEtag, walletEtagAfter);
        var (stats, statsEtagAfter) = await ReadAsync("stats", Key(Tenant, User));
        Assert.Equal(0, stats!.Entries);
        Assert.Equal(statsEtag, statsEtagAfter);
        Assert.Null((await ReadAsync("entry-1", Key(Tenant, User))).Doc);
        Assert.Null((await ReadAsync("missing", Key(Tenant, User))).Doc);

        // The rolled-back create left no trace: the same id can be created now.
        Assert.Equal(HttpStatusCode.Created, (await _users.CreateItemAsync(Entry(Tenant, User, "entry-1", 1), Key(Tenant, User))).StatusCode);
    }

    private Task<TransactionalBatchResponse> DebitAsync(int debit, long balance, string ifMatch, long amount) =>
        _users.CreateTransactionalBatch(Key(Tenant, User))
            .ReplaceItem("wallet", Wallet(Tenant, User, balance - amount), new TransactionalBatchItemRequestOptions { IfMatchEtag = ifMatch })
            .CreateItem(Entry(Tenant, User, $"debit-{debit}", -amount))
            .ExecuteAsync();

    private async Task<List<Doc>> EntriesAsync()
    {
        var list = new List<Doc>();
        using var iterator = _users.GetItemQueryIterator<Doc>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'entry'"),
            requestOptions: new QueryRequestOptions { PartitionKey = Key(Tenant, User) });
        while (iterator.HasMoreResults)
        {
            list.AddRange(await iterator.ReadNextAsync());
        }

        return list;
    }

    private async Task<string> CreateAsync(Doc doc)
    {
        var response = await _users.CreateItemAsync(doc, Key(doc.TenantId, doc.UserId));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.ETag;
    }

    private async Task<(Doc? Doc, string? ETag)> ReadAsync(string id, PartitionKey key)
    {
        using var response = await _users.ReadItemStreamAsync(id, key);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        return (await CosmosStreams.DeserializeAsync<Doc>(response, default), response.Headers.ETag);
    }

    private static PartitionKey Key(string tenant, string user) => new PartitionKeyBuilder().Add(tenant).Add(user).Build();

    private static Doc Wallet(string tenant, string user, long balance) => new() { Id = "wallet", TenantId = tenant, UserId = user, Type = "wallet", Balance = balance };

    private static Doc Stats(string tenant, string user, int entries = 0) => new() { Id = "stats", TenantId = tenant, UserId = user, Type = "stats", Entries = entries };

    private static Doc Entry(string tenant, string user, string id, long amount) => new() { Id = id, TenantId = tenant, UserId = user, Type = "entry", Amount = amount };

    private static Doc Quota(string tenant, string user, int used, int max) => new() { Id = "quota", TenantId = tenant, UserId = user, Type = "quota", UsedCount = used, MaxCount = max };

    private sealed class Doc
    {
        [JsonPropertyName("id")]
        public string Id { get; set; } = "";

        [JsonPropertyName("tenantId")]
        public string TenantId { get; set; } = "";

        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";

        [JsonPropertyName("type")]
        public string Type { get; set; } = "";

        [JsonPropertyName("balance")]
        public long Balance { get; set; }

        [JsonPropertyName("amount")]
        public long Amount { get; set; }

        [JsonPropertyName("entries")]
        public int Entries { get; set; }

        [JsonPropertyName("lastEntry")]
        public string? LastEntry { get; set; }

        [JsonPropertyName("usedCount")]
        public int UsedCount { get; set; }

        [JsonPropertyName("maxCount")]
        public int MaxCount { get; set; }

        [JsonPropertyName("_ts")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public long Ts { get; set; }
    }

    private sealed class TenantDoc
    {
        [JsonPropertyName("id")]
        public string Id { get; set; } = "";

        [JsonPropertyName("tenantId")]
        public string TenantId { get; set; } = "";

        [JsonPropertyName("name")]
        public string Name { get; set; } = "";
    }
}
