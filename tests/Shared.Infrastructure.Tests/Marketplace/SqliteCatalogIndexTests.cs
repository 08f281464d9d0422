using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Marketplace;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Marketplace;

/// <summary>
/// The embedded store's in-process search index against its SQL search, on the same file: random catalogs, random
/// searches (words and prefixes, relevance groups, filters, creation bounds, cursors, page sizes), compared item by
/// item (ids, order and the items' current counters) after every kind of change, made through this app, through
/// another app on the same file, by the personal-data eraser, and by hand in SQL, and while searches and writes race.
/// </summary>
public sealed class SqliteCatalogIndexTests
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    // Shared prefixes (re-, pl-, ca-), accents the search folds, digits.
    private static readonly string[] Vocabulary = ["Café", "cafetière", "résumé", "rewrite", "recipe", "Rewriter", "planner", "plan", "PLANT", "über", "tutor", "budget", "Straße", "crème", "no1", "no12", "zeta"];
    private static readonly string[] Kinds = ["feature", "gpt", "prompt", "bundle"];
    private static readonly string[] QueryWords = ["cafe", "ca", "caf", "resume", "re", "rew", "rewriter", "plan", "pl", "plant", "uber", "u", "tutor", "strasse", "str", "creme", "no1", "no", "zeta", "absent", "z"];

    private static Tenant TenantOf(TenantId id) =>
        new(id, "T " + id, [new Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], $"https://{id}.example/u?{{link_token}}")
        {
            Marketplace = new MarketplaceSettings { AutoPublish = true },
        };

    [Fact]
    public async Task The_index_answers_every_search_as_sql_does_through_every_kind_of_change()
    {
        var clock = new ManualTimeProvider(Now);
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "test.db");
        await using var store = await StoreSet.SqliteAsync(clock, path);
        await using var other = await StoreSet.SqliteAsync(clock, path); // another app on the same file (the workers, say)
        var db = store.Get<SqliteDatabase>();
        var indexes = store.Get<SqliteCatalogIndexes>();
        var indexed = store.Get<IMarketplaceStore>();
        var sql = new SqliteMarketplaceStore(db, new SqliteCatalogIndexes(new MarketplaceOptions { SearchIndexMaxItems = 0 }, clock, NullLogger<SqliteCatalogIndexes>.Instance));
        var random = new Random(14);
        var alpha = TenantOf(Alpha);
        var creators = Enumerable.Range(0, 3).Select(_ => new MarketplaceCaller(UserId.New(), true, false)).ToList();
        var admin = new MarketplaceCaller(UserId.New(), false, true);
        var items = new List<string>();

        async Task CreateAsync(StoreSet through, Tenant tenant)
        {
            if (random.Next(3) == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(random.Next(1, 5))); // runs of equal creation times: the id breaks the tie
            }

            var created = await through.Get<MarketplaceCatalog>().CreateAsync(tenant, creators[random.Next(creators.Count)], RandomInput(random), default);
            Assert.True(created.IsSuccess, created.Error?.Code);
            if (tenant.Id == Alpha)
            {
                items.Add(created.Value.Item.Id);
            }
        }

        async Task CompareAsync(string stage, int searches)
        {
            var times = new List<long>();
            foreach (var id in items)
            {
                if (await sql.GetAsync(Alpha, id, default) is { } item)
                {
                    times.Add(item.CreatedAt.ToUnixTimeMilliseconds());
                }
            }

            for (var n = 0; n < searches; n++)
            {
                var search = await RandomSearchAsync(random, sql, items, times, clock);
                var expected = await sql.FindAsync(Alpha, search, default);
                var actual = await indexed.FindAsync(Alpha, search, default);
                Assert.True(
                    expected.Select(Fingerprint).SequenceEqual(actual.Select(Fingerprint)),
                    $"{stage}, search {n}: {Describe(search)}\nSQL:   {string.Join(", ", expected.Select(Fingerprint))}\nindex: {string.Join(", ", actual.Select(Fingerprint))}");
            }

            Assert.NotNull(indexes.IndexedItems(Alpha)); // the index answered, not SQL
        }

        for (var i = 0; i < 300; i++)
        {
            await CreateAsync(store, alpha);
        }

        await CreateAsync(store, TenantOf(Beta)); // another tenant's items never appear
        await CreateAsync(store, TenantOf(Beta));
        await CompareAsync("created", 400);

        // Installs and ratings (counters and the rating score move items in two orders), through either app.
        for (var i = 0; i < 120; i++)
        {
            var through = i % 2 == 0 ? store : other;
            var item = items[random.Next(items.Count)];
            var user = new MarketplaceCaller(UserId.New(), false, false);
            if ((await through.Get<MarketplaceInstalls>().InstallAsync(alpha, user, item, default)).IsSuccess)
            {
                await through.Get<MarketplaceInstalls>().RateAsync(alpha, user, item, random.Next(1, 6), null, default);
            }
        }

        await CompareAsync("installed and rated", 300);

        // Edits (new words), moderation and deletions, through either app; new items meanwhile.
        var catalog = store.Get<MarketplaceCatalog>();
        for (var i = 0; i < 60; i++)
        {
            var through = i % 2 == 0 ? store : other;
            var item = (await sql.GetAsync(Alpha, items[random.Next(items.Count)], default))!;
            var owner = new MarketplaceCaller(item.CreatorId, true, false);
            var outcome = (i % 5) switch
            {
                0 => (await through.Get<MarketplaceCatalog>().UpdateAsync(alpha, owner, item.Id, RandomInput(random), default)).Error,
                1 => (await through.Get<MarketplaceCatalog>().ModerateAsync(alpha, admin, item.Id, ModerationAction.Hide, default)).Error,
                2 => (await catalog.ModerateAsync(alpha, admin, item.Id, ModerationAction.Unhide, default)).Error,
                3 => (await through.Get<MarketplaceCatalog>().DeleteAsync(alpha, owner, item.Id, default)).Error,
                _ => null,
            };
            Assert.True(outcome is null || outcome.Kind != ErrorKind.Validation, outcome?.Code);
            if (i % 5 == 4)
            {
                await CreateAsync(other, alpha);
            }
        }

        await CompareAsync("edited, moderated, deleted", 300);

        // The personal-data eraser rewrites a creator's items (de-identified, kept) without knowing the index.
        Assert.True(await other.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "marketplace").EraseAsync(Alpha, creators[0].Id, default) > 0);
        await CompareAsync("creator erased", 100);

        // A row deleted by hand (no app deletes items: they are soft-deleted) makes the index load afresh.
        db.Read(c => SqliteDatabase.Execute(c, null, "DELETE FROM marketplace_items WHERE tenant_id = 'alpha' AND id = $id", ("$id", items[7])));
        await CompareAsync("row deleted in SQL", 100);

        // Searches race installs, edits and new items; afterwards the index still matches SQL. The writes start once
        // every searcher has searched (on a loaded machine a task may start late), and the searchers run until they end.
        using var stop = new CancellationTokenSource();
        var searching = 0;
        var searchers = Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
        {
            var own = new Random(s);
            var count = 0;
            while (count == 0 || (!stop.IsCancellationRequested && count < 2000))
            {
                var search = new ItemSearch { Patterns = SearchText.Patterns([QueryWords[own.Next(QueryWords.Length)]]), Sort = (ItemSort)own.Next(4), CreatedUpTo = long.MaxValue, Limit = 20 };
                await indexed.FindAsync(Alpha, search, default);
                if (count++ == 0)
                {
                    Interlocked.Increment(ref searching);
                }
            }

            return count;
        })).ToList();
        for (var wait = 0; Volatile.Read(ref searching) < searchers.Count && wait < 30_000; wait++)
        {
            await Task.Delay(1);
        }

        Assert.Equal(searchers.Count, Volatile.Read(ref searching));
        for (var i = 0; i < 80; i++)
        {
            var item = items[random.Next(items.Count)];
            var user = new MarketplaceCaller(UserId.New(), false, false);
            await (i % 2 == 0 ? store : other).Get<MarketplaceInstalls>().InstallAsync(alpha, user, item, default);
            if (i % 10 == 0)
            {
                await CreateAsync(i % 20 == 0 ? store : other, alpha);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        await CompareAsync("after the race", 200);
    }

    [Fact]
    public async Task A_catalog_over_the_index_size_is_searched_with_sql_and_indexed_again_after_the_retry_time_once_small_enough()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreSet.SqliteAsync(clock, settings: new Dictionary<string, string?> { ["Marketplace:SearchIndexMaxItems"] = "5", ["Marketplace:SearchIndexRetry"] = "00:10:00" });
        var alpha = TenantOf(Alpha);
        var creator = new MarketplaceCaller(UserId.New(), true, false);
        var catalog = store.Get<MarketplaceCatalog>();
        var search = store.Get<MarketplaceSearch>();
        var indexes = store.Get<SqliteCatalogIndexes>();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            ids.Add((await catalog.CreateAsync(alpha, creator, new ItemInput($"Planner {i}", "Plans", "feature", ["writing"], 0, "USD", null), default)).Value.Item.Id);
        }

        async Task<List<string>> FindAsync() =>
            [.. (await search.SearchAsync(alpha, new SearchRequest { Query = "plan", Sort = "newest", Limit = 100 }, default)).Value.Items.Select(v => v.Item.Id)];

        Assert.Equal(Enumerable.Reverse(ids), await FindAsync()); // 7 > 5: SQL answers
        Assert.Null(indexes.IndexedItems(Alpha));

        Assert.True((await catalog.DeleteAsync(alpha, creator, ids[0], default)).IsSuccess);
        Assert.True((await catalog.DeleteAsync(alpha, creator, ids[1], default)).IsSuccess);
        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(Enumerable.Reverse(ids).Take(5), await FindAsync());
        Assert.Null(indexes.IndexedItems(Alpha)); // not counted again before the retry time

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Enumerable.Reverse(ids).Take(5), await FindAsync());
        Assert.Equal(5, indexes.IndexedItems(Alpha));

        // Growing past the size while indexed: dropped, SQL answers again.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        ids.Add((await catalog.CreateAsync(alpha, creator, new ItemInput("Planner 7", "Plans", "feature", ["writing"], 0, "USD", null), default)).Value.Item.Id);
        Assert.Equal(Enumerable.Reverse(ids).Take(6), await FindAsync());
        Assert.Null(indexes.IndexedItems(Alpha));
    }

    [Fact]
    public async Task Items_stored_before_the_catalog_versions_migration_are_indexed_and_their_changes_followed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "test.db");
        var clock = new ManualTimeProvider(Now);
        var alpha = TenantOf(Alpha);
        var creator = new MarketplaceCaller(UserId.New(), true, false);
        string id;
        await using (var before = await StoreSet.SqliteAsync(clock, path))
        {
            id = (await before.Get<MarketplaceCatalog>().CreateAsync(alpha, creator, new ItemInput("Garden planner", "Seeds", "feature", ["writing"], 0, "USD", null), default)).Value.Item.Id;

            // Back to the layout before the migration: no stamps, no versions, no triggers, and the ledger without it.
            before.Get<SqliteDatabase>().Read(c => SqliteDatabase.Execute(
                c,
                null,
                """
                DROP TRIGGER marketplace_items_stamp_insert; DROP TRIGGER marketplace_items_stamp_update; DROP TRIGGER marketplace_items_stamp_delete;
                DROP INDEX marketplace_items_by_change; DROP TABLE marketplace_catalog_versions; ALTER TABLE marketplace_items DROP COLUMN change_seq;
                DELETE FROM schema_migrations WHERE id = 'marketplace.5-catalog-versions';
                """));
        }

        await using var after = await StoreSet.SqliteAsync(clock, path);
        async Task<List<long>> InstallsAsync() =>
            [.. (await after.Get<MarketplaceSearch>().SearchAsync(alpha, new SearchRequest { Query = "garden" }, default)).Value.Items.Select(v => v.Item.InstallCount)];

        Assert.Equal([0L], await InstallsAsync());
        Assert.Equal(1, after.Get<SqliteCatalogIndexes>().IndexedItems(Alpha));
        Assert.True((await after.Get<MarketplaceInstalls>().InstallAsync(alpha, new MarketplaceCaller(UserId.New(), false, false), id, default)).IsSuccess);
        Assert.Equal([1L], await InstallsAsync());
    }

    [Fact]
    public async Task An_index_that_cannot_load_an_item_is_dropped_with_an_error_and_sql_answers_until_the_retry_time()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreSet.SqliteAsync(clock);
        var alpha = TenantOf(Alpha);
        var creator = new MarketplaceCaller(UserId.New(), true, false);
        var catalog = store.Get<MarketplaceCatalog>();
        var garden = (await catalog.CreateAsync(alpha, creator, new ItemInput("Garden planner", "Seeds", "feature", ["writing"], 0, "USD", null), default)).Value.Item.Id;
        var broken = (await catalog.CreateAsync(alpha, creator, new ItemInput("Chess tutor", "Openings", "feature", ["writing"], 0, "USD", null), default)).Value.Item.Id;
        var db = store.Get<SqliteDatabase>();

        // An item whose stored categories no reader can parse (written by hand): the index's load reads every listed item.
        db.Read(c => SqliteDatabase.Execute(c, null, "UPDATE marketplace_items SET categories = 'not json' WHERE tenant_id = 'alpha' AND id = $id", ("$id", broken)));
        var logger = new Mock<ILogger<SqliteCatalogIndexes>>();
        var indexes = new SqliteCatalogIndexes(new MarketplaceOptions(), clock, logger.Object);
        var search = new SqliteMarketplaceStore(db, indexes);
        async Task<List<string>> FindAsync(string word) =>
            [.. (await search.FindAsync(Alpha, new ItemSearch { Patterns = SearchText.Patterns([word]), CreatedUpTo = long.MaxValue, Limit = 20 }, default)).Select(i => i.Id)];

        Assert.Equal([garden], await FindAsync("garden")); // SQL: the broken row does not match, so it is never read
        Assert.Null(indexes.IndexedItems(Alpha));
        logger.Verify(l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), It.IsAny<Exception>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once());

        // Mended: still SQL until the retry time (no second attempt, no second error), then the index again.
        db.Read(c => SqliteDatabase.Execute(c, null, "UPDATE marketplace_items SET categories = '[\"writing\"]' WHERE tenant_id = 'alpha' AND id = $id", ("$id", broken)));
        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal([broken], await FindAsync("chess"));
        Assert.Null(indexes.IndexedItems(Alpha));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([broken], await FindAsync("chess"));
        Assert.Equal(2, indexes.IndexedItems(Alpha));
        logger.Verify(l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), It.IsAny<Exception>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once());
    }

    /// <summary>What must agree: the item, its order, and the state it is shown in.</summary>
    private static string Fingerprint(MarketplaceItem item) =>
        $"{item.Id[..8]}:{item.CreatorId.Value[..4]}:{item.DetailsVersion}:{item.InstallCount}:{item.Ratings.Count}:{item.Ratings.Sum}";

    private static string Describe(ItemSearch s) =>
        $"[{string.Join("|", s.Patterns)}] title={s.InTitle} cat={s.Category} kind={s.Kind} price={s.MinPrice}-{s.MaxPrice} free={s.Free} sort={s.Sort} upTo={s.CreatedUpTo} after=({s.AfterKey},{s.AfterId}) limit={s.Limit}";

    private static ItemInput RandomInput(Random random)
    {
        string Words(int min, int max) => string.Join(' ', Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        var categories = MarketplaceSettings.DefaultCategories;
        return new ItemInput(
            Words(1, 3),
            Words(0, 6) + " tool",
            Kinds[random.Next(Kinds.Length)],
            [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => categories[random.Next(categories.Count)]).Distinct()],
            random.Next(3) == 0 ? 0 : random.Next(1, 60) * 100,
            "USD",
            null);
    }

    private static async Task<ItemSearch> RandomSearchAsync(Random random, SqliteMarketplaceStore sql, List<string> items, List<long> times, ManualTimeProvider clock)
    {
        var words = Enumerable.Range(0, random.Next(0, 4)).Select(_ => QueryWords[random.Next(QueryWords.Length)]).ToList();
        var sort = (ItemSort)random.Next(4);
        long? afterKey = null;
        string? afterId = null;
        if (random.Next(2) == 0)
        {
            if (random.Next(4) > 0 && await sql.GetAsync(Alpha, items[random.Next(items.Count)], default) is { } at)
            {
                (afterKey, afterId) = (at.SortKey(sort), at.Id); // a real item's place (listed or not)
            }
            else
            {
                (afterKey, afterId) = (random.Next(0, 5_000_000), Guid.NewGuid().ToString("D")); // anywhere
            }
        }

        return new ItemSearch
        {
            Patterns = SearchText.Patterns(words),
            InTitle = words.Count == 0 ? null : random.Next(3) switch { 0 => null, 1 => true, _ => false },
            Category = random.Next(3) == 0 ? MarketplaceSettings.DefaultCategories[random.Next(MarketplaceSettings.DefaultCategories.Count)] : null,
            Kind = random.Next(4) == 0 ? MarketplaceText.ParseKind(Kinds[random.Next(Kinds.Length)]) : null,
            MinPrice = random.Next(4) == 0 ? random.Next(0, 30) * 100 : null,
            MaxPrice = random.Next(4) == 0 ? random.Next(30, 70) * 100 : null,
            Free = random.Next(5) switch { 0 => true, 1 => false, _ => null },
            Sort = sort,
            CreatedUpTo = random.Next(3) == 0 && times.Count > 0 ? times[random.Next(times.Count)] : clock.GetUtcNow().ToUnixTimeMilliseconds(),
            AfterKey = afterKey,
            AfterId = afterId,
            Limit = random.Next(1, 40),
        };
    }
}
