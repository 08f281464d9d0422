using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Marketplace;

/// <summary>
/// The marketplace on both stores, through its use cases: installs and ratings stay exact under concurrency, the
/// rules on own items and ratings hold, and search pages return every match exactly once in order.
/// </summary>
public abstract class MarketplaceScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Vocabulary = ["Café", "résumé", "writer", "rewrite", "coder", "grammar", "summary", "translate", "tutor", "budget", "planner", "recipe"];

    /// <summary>How many items the paging scenario creates.</summary>
    protected abstract int PagingItems { get; }

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    protected static Tenant TenantOf(TenantId id, bool autoPublish = true) =>
        new(id, "T " + id, [new Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], $"https://{id}.example/u?{{link_token}}")
        {
            Marketplace = new MarketplaceSettings { AutoPublish = autoPublish },
        };

    protected static MarketplaceCaller User(UserId? id = null) => new(id ?? UserId.New(), false, false);

    protected static MarketplaceCaller Creator(UserId? id = null) => new(id ?? UserId.New(), true, false);

    protected static async Task<MarketplaceItem> CreateAsync(StoreSet store, Tenant tenant, MarketplaceCaller creator, string title = "Grammar helper", string description = "Fixes text", long price = 0, string kind = "feature", string[]? categories = null)
    {
        var result = await store.Get<MarketplaceCatalog>().CreateAsync(tenant, creator, new ItemInput(title, description, kind, categories ?? ["writing"], price, "USD", null), default);
        Assert.True(result.IsSuccess, result.Error?.Code);
        return result.Value.Item;
    }

    [StoreFact]
    public async Task Hundred_concurrent_installs_by_fifty_users_count_fifty()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf(Alpha);
        var item = await CreateAsync(store, tenant, Creator());
        var installs = store.Get<MarketplaceInstalls>();
        var users = Enumerable.Range(0, 50).Select(_ => User()).ToList();

        var outcomes = await Task.WhenAll(users.Concat(users).Select(u => Task.Run(() => installs.InstallAsync(tenant, u, item.Id, default))));

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Error?.Code));
        Assert.Equal(50, outcomes.Count(o => o.Value.Counted));
        var stored = await store.Get<IMarketplaceStore>().GetAsync(Alpha, item.Id, default);
        Assert.Equal((50, 50), (stored!.InstallCount, stored.ActiveInstalls));

        // Uninstall lowers the active count only; a reinstall raises it again and counts nothing new.
        Assert.True((await installs.UninstallAsync(tenant, users[0], item.Id, default)).IsSuccess);
        Assert.False(await store.Get<IMarketplaceStore>().UninstallAsync(Alpha, item.Id, users[0].Id, Now, default));
        var again = await installs.InstallAsync(tenant, users[0], item.Id, default);
        Assert.Equal((false, 50L, 50L), (again.Value.Counted, again.Value.InstallCount, again.Value.ActiveInstalls));
    }

    [StoreFact]
    public async Task Fifty_concurrent_ratings_and_twenty_concurrent_replacements_keep_count_sum_and_histogram_exact()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf(Alpha);
        var item = await CreateAsync(store, tenant, Creator());
        var installs = store.Get<MarketplaceInstalls>();
        var users = Enumerable.Range(0, 50).Select(_ => User()).ToList();
        foreach (var u in users)
        {
            Assert.True((await installs.InstallAsync(tenant, u, item.Id, default)).IsSuccess);
        }

        // 50 first ratings (user i gives i % 5 + 1 stars) and, at the same time, 20 of those users replace theirs twice
        // with different stars: the replacements may land before or after the first rating, so what each user ends
        // with is decided by the race; the counters must equal exactly what the stored ratings add up to.
        var calls = users.Select((u, i) => (u, i % 5 + 1))
            .Concat(users.Take(20).SelectMany((u, i) => new[] { (u, 5), (u, i % 4 + 1) }))
            .ToList();
        var results = await Task.WhenAll(calls.Select(c => Task.Run(() => installs.RateAsync(tenant, c.u, item.Id, c.Item2, $"review {c.Item2}", default))));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Code));
        await AssertCountersMatchStoredRatingsAsync(store, item.Id, expectedCount: 50);

        // Then 20 concurrent replacements with known stars: the outcome is exact.
        await Task.WhenAll(users.Take(20).Select(u => Task.Run(() => installs.RateAsync(tenant, u, item.Id, 1, null, default))));
        var expected = new long[5];
        foreach (var (u, i) in users.Select((u, i) => (u, i)))
        {
            expected[(i < 20 ? 1 : (i % 5) + 1) - 1]++;
        }

        var summary = (await store.Get<IMarketplaceStore>().GetAsync(Alpha, item.Id, default))!.Ratings;
        Assert.Equal(50, summary.Count);
        Assert.Equal(expected, summary.Histogram);
        Assert.Equal(expected.Select((n, s) => n * (s + 1)).Sum(), summary.Sum);
        Assert.Equal(ConfidenceScore.Micros(summary.Count, summary.Sum), (await store.Get<IMarketplaceStore>().FindAsync(Alpha, new ItemSearch { CreatedUpTo = long.MaxValue, Limit = 5 }, default)).Single().Ratings.Score);
    }

    private static async Task AssertCountersMatchStoredRatingsAsync(StoreSet store, string itemId, long expectedCount)
    {
        var marketplace = store.Get<IMarketplaceStore>();
        var all = new List<ItemRating>();
        RatingCursor? cursor = null;
        do
        {
            var page = await marketplace.ListRatingsAsync(Alpha, itemId, 7, cursor, default);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(expectedCount, all.Count);
        Assert.Equal(all.Count, all.Select(r => r.UserId).Distinct().Count());
        var summary = (await marketplace.GetAsync(Alpha, itemId, default))!.Ratings;
        Assert.Equal(expectedCount, summary.Count);
        Assert.Equal(all.Sum(r => (long)r.Stars), summary.Sum);
        Assert.Equal(Enumerable.Range(1, 5).Select(s => (long)all.Count(r => r.Stars == s)), summary.Histogram);
    }

    [StoreFact]
    public async Task Creators_cannot_install_or_rate_their_own_items_and_only_installers_may_rate()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf(Alpha);
        var creator = Creator();
        var item = await CreateAsync(store, tenant, creator);
        var installs = store.Get<MarketplaceInstalls>();
        var stranger = User();

        Assert.Equal("own_item", (await installs.InstallAsync(tenant, creator, item.Id, default)).Error?.Code);
        Assert.Equal("own_item", (await installs.RateAsync(tenant, creator, item.Id, 5, null, default)).Error?.Code);
        Assert.Equal("install_required", (await installs.RateAsync(tenant, stranger, item.Id, 5, null, default)).Error?.Code);

        var stored = await store.Get<IMarketplaceStore>().GetAsync(Alpha, item.Id, default);
        Assert.Equal((0L, 0L), (stored!.InstallCount, stored.Ratings.Count));

        // A paid item needs a purchase first; another tenant's id finds nothing.
        var paid = await CreateAsync(store, tenant, creator, price: 499);
        Assert.Equal("purchase_required", (await installs.InstallAsync(tenant, stranger, paid.Id, default)).Error?.Code);
        Assert.Equal("item_not_found", (await installs.InstallAsync(TenantOf(Beta), stranger, item.Id, default)).Error?.Code);
        Assert.Null(await store.Get<IMarketplaceStore>().GetAsync(Beta, item.Id, default));
    }

    [StoreFact]
    public async Task Own_items_and_the_admin_queue_list_newest_first_by_status_each_once_without_deleted_or_other_tenants_items()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var tenant = TenantOf(Alpha, autoPublish: false);
        var creator = Creator();
        var other = Creator();
        var admin = new MarketplaceCaller(UserId.New(), false, true);
        var catalog = store.Get<MarketplaceCatalog>();
        var listings = store.Get<MarketplaceListings>();
        var mine = new List<MarketplaceItem>();
        for (var i = 0; i < 7; i++)
        {
            if (i % 3 == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1)); // some share a creation time: the id breaks the tie
            }

            mine.Add(await CreateAsync(store, tenant, creator, title: $"Mine {i}"));
        }

        var others = await CreateAsync(store, tenant, other, title: "Theirs");
        await CreateAsync(store, TenantOf(Beta, autoPublish: false), creator, title: "Beta pending"); // the same creator id in another tenant
        Assert.True((await catalog.ModerateAsync(tenant, admin, mine[1].Id, ModerationAction.Verify, default)).IsSuccess);
        Assert.True((await catalog.ModerateAsync(tenant, admin, mine[2].Id, ModerationAction.Verify, default)).IsSuccess);
        Assert.True((await catalog.ModerateAsync(tenant, admin, mine[3].Id, ModerationAction.Hide, default)).IsSuccess);
        Assert.True((await catalog.DeleteAsync(tenant, creator, mine[4].Id, default)).IsSuccess);
        static List<string> Newest(IEnumerable<MarketplaceItem> items) =>
            [.. items.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal).Select(i => i.Id)];

        async Task<List<string>> AllAsync(Func<string?, Task<Result<ItemSearchPage>>> list)
        {
            var ids = new List<string>();
            string? next = null;
            for (var page = 0; page < 20; page++)
            {
                var result = await list(next is null ? null : ContinuationText.Decode(next));
                Assert.True(result.IsSuccess, result.Error?.Code);
                Assert.True(result.Value.Items.Count <= 2);
                ids.AddRange(result.Value.Items.Select(v => v.Item.Id));
                if ((next = result.Value.Continuation) is null)
                {
                    return ids;
                }
            }

            throw new InvalidOperationException("Paging did not end.");
        }

        var live = mine.Where((_, i) => i != 4).ToList();
        Assert.Equal(Newest(live), await AllAsync(c => listings.MineAsync(tenant, creator, null, 2, c, default)));
        Assert.Equal(Newest(live.Where((_, i) => i is 1 or 2)), await AllAsync(c => listings.MineAsync(tenant, creator, "published", 2, c, default)));
        Assert.Equal([mine[3].Id], await AllAsync(c => listings.MineAsync(tenant, creator, "hidden", 2, c, default)));
        Assert.Equal(Newest([mine[0], mine[5], mine[6]]), await AllAsync(c => listings.MineAsync(tenant, creator, "pending", 2, c, default)));
        Assert.Equal([others.Id], await AllAsync(c => listings.MineAsync(tenant, other, null, 2, c, default)));
        Assert.Empty(await AllAsync(c => listings.MineAsync(tenant, User(), null, 2, c, default)));

        // The queue: every creator's items of the status (pending by default), this tenant's only.
        Assert.Equal(Newest([mine[0], mine[5], mine[6], others]), await AllAsync(c => listings.QueueAsync(tenant, null, 2, c, default)));
        Assert.Equal(Newest([mine[1], mine[2]]), await AllAsync(c => listings.QueueAsync(tenant, "published", 2, c, default)));
        Assert.Single(await AllAsync(c => listings.QueueAsync(TenantOf(Beta), null, 2, c, default)));

        // Items created while a client pages come after its cursor: every item of the first page's time comes once.
        var first = await listings.MineAsync(tenant, creator, null, 2, null, default);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await CreateAsync(store, tenant, creator, title: "Added while paging");
        var rest = await AllAsync(c => listings.MineAsync(tenant, creator, null, 2, c ?? ContinuationText.Decode(first.Value.Continuation!), default));
        Assert.Equal(Newest(live), [.. first.Value.Items.Select(v => v.Item.Id), .. rest]);

        // Bad input: a status that is none, a cursor of another list, filter or creator, a forged one.
        var cursor = ContinuationText.Decode(first.Value.Continuation!);
        Assert.Equal("invalid_status", (await listings.MineAsync(tenant, creator, "deleted", 2, null, default)).Error?.Code);
        Assert.Equal("invalid_status", (await listings.QueueAsync(tenant, "Pending", 2, null, default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await listings.MineAsync(tenant, creator, "pending", 2, cursor, default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await listings.MineAsync(tenant, other, null, 2, cursor, default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await listings.QueueAsync(tenant, null, 2, cursor, default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await listings.MineAsync(tenant, creator, null, 2, cursor + "|extra", default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await listings.MineAsync(tenant, creator, null, 2, "l1|me:" + creator.Id.Value + "|*|abc|" + mine[0].Id, default)).Error?.Code);
        Assert.Equal("validation_failed", (await listings.MineAsync(tenant, creator, null, 0, null, default)).Error?.Code);
    }

    [StoreFact]
    public async Task Pending_items_wait_for_verification_and_deleted_ones_stay_with_their_installers()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var tenant = TenantOf(Alpha, autoPublish: false);
        var creator = Creator();
        var admin = new MarketplaceCaller(UserId.New(), false, true);
        var catalog = store.Get<MarketplaceCatalog>();
        var installs = store.Get<MarketplaceInstalls>();
        var item = await CreateAsync(store, tenant, creator, title: "Pending planner");
        var user = User();

        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal("item_not_found", (await catalog.GetAsync(tenant, user, item.Id, default)).Error?.Code);
        Assert.Equal("item_not_found", (await installs.InstallAsync(tenant, user, item.Id, default)).Error?.Code);
        Assert.Empty((await store.Get<MarketplaceSearch>().SearchAsync(tenant, new SearchRequest { Query = "planner" }, default)).Value.Items);

        var verified = await catalog.ModerateAsync(tenant, admin, item.Id, ModerationAction.Verify, default);
        Assert.Equal((ItemStatus.Published, true), (verified.Value.Item.Status, verified.Value.Item.Verified));
        Assert.True((await installs.InstallAsync(tenant, user, item.Id, default)).IsSuccess);
        Assert.Single((await store.Get<MarketplaceSearch>().SearchAsync(tenant, new SearchRequest { Query = "planner" }, default)).Value.Items);

        Assert.Equal("not_item_creator", (await catalog.DeleteAsync(tenant, user, item.Id, default)).Error?.Code);
        Assert.True((await catalog.DeleteAsync(tenant, creator, item.Id, default)).IsSuccess);
        Assert.Empty((await store.Get<MarketplaceSearch>().SearchAsync(tenant, new SearchRequest { Query = "planner" }, default)).Value.Items);
        Assert.Equal("item_not_found", (await catalog.GetAsync(tenant, User(), item.Id, default)).Error?.Code);
        Assert.True((await catalog.GetAsync(tenant, user, item.Id, default)).Value.Installed);
        Assert.True((await installs.InstallAsync(tenant, user, item.Id, default)).IsSuccess); // a repeat still answers
        Assert.True((await installs.RateAsync(tenant, user, item.Id, 4, "still works", default)).IsSuccess);
    }

    [StoreFact]
    public async Task Paging_every_filter_and_order_returns_every_match_exactly_once_also_while_items_are_added()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var tenant = TenantOf(Alpha);
        var beta = TenantOf(Beta);
        var creator = Creator();
        var installs = store.Get<MarketplaceInstalls>();
        string[] kinds = ["feature", "gpt", "prompt", "bundle"];
        var categories = MarketplaceSettings.DefaultCategories;
        var items = new List<MarketplaceItem>();
        for (var i = 0; i < PagingItems; i++)
        {
            if (i % 7 == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1)); // several items share a creation time: the id breaks the tie
            }

            var title = $"{Vocabulary[i % Vocabulary.Length]} {Vocabulary[(i / 3) % Vocabulary.Length]} no{i}";
            var description = $"Helps with {Vocabulary[(i * 7) % Vocabulary.Length]} and more";
            items.Add(await CreateAsync(store, tenant, creator, title, description, price: i % 3 == 0 ? 0 : (i % 50) * 100, kind: kinds[i % 4], categories: [categories[i % 8], categories[(i * 3) % 8]]));
        }

        // Another tenant's items match the same words and must never appear.
        await CreateAsync(store, beta, creator, "Café résumé writer", "Helps with grammar");

        // Varied installs and ratings, so the installs and rating orders have runs of ties and distinct values.
        for (var i = 0; i < items.Count; i += 9)
        {
            var raters = Enumerable.Range(0, (i % 4) + 1).Select(_ => User()).ToList();
            foreach (var rater in raters)
            {
                if (items[i].Details.IsFree)
                {
                    await installs.InstallAsync(tenant, rater, items[i].Id, default);
                    await installs.RateAsync(tenant, rater, items[i].Id, (i % 5) + 1, null, default);
                }
            }
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var current = new Dictionary<string, MarketplaceItem>();
        foreach (var item in items)
        {
            current[item.Id] = (await store.Get<IMarketplaceStore>().GetAsync(Alpha, item.Id, default))!;
        }

        SearchRequest[] searches =
        [
            new(),
            new() { Query = "cafe" },
            new() { Query = "RESUME WRI" },
            new() { Query = "gram" },
            new() { Category = "writing" },
            new() { Kind = "gpt" },
            new() { MinPrice = 500, MaxPrice = 2000 },
            new() { Free = true },
            new() { Free = false, Kind = "prompt", Category = "coding" },
            new() { Query = "tutor", Free = true, Category = "education" },
            new() { Query = "no4" }, // a rare prefix (no4, no40–no49, no400–no499): few items carry it
            new() { Query = "cafe NO1", Kind = "gpt" }, // a common word and a rare prefix, both in titles
            new() { Query = "re" }, // a prefix of three title words (resume, rewrite, recipe): ~480 of 1,000 items carry it in their title
        ];
        var pages = 0;
        foreach (var search in searches)
        {
            foreach (var sort in Enum.GetValues<ItemSort>())
            {
                var request = search with { Sort = MarketplaceText.Format(sort), Limit = 20 };
                var expected = current.Values.Where(item => Matches(item, request)).Select(item => item.Id).ToHashSet();
                var seen = await PageAllAsync(store, tenant, request, sort, () => pages++);
                Assert.Equal(seen.Count, seen.Distinct().Count());
                Assert.True(expected.SetEquals(seen), $"{request}: expected {expected.Count}, got {seen.Count}");
            }
        }

        Assert.True(pages > searches.Length * 4);

        // 50 matching items are added while a client pages: every item present at its first page comes exactly once.
        var addedBefore = new List<MarketplaceItem>();
        foreach (var sort in Enum.GetValues<ItemSort>())
        {
            var request = new SearchRequest { Query = "cafe", Sort = MarketplaceText.Format(sort), Limit = 20 };
            var expected = current.Values.Concat(addedBefore).Where(item => Matches(item, request)).Select(item => item.Id).ToHashSet();
            var added = 0;
            var seen = await PageAllAsync(store, tenant, request, sort, () => { }, async () =>
            {
                for (var n = 0; n < 25 && added < 50; n++, added++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(1));
                    addedBefore.Add(await CreateAsync(store, tenant, creator, $"Café added {sort} {added}", "Café résumé writer tutor"));
                }
            });
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.True(expected.SetEquals(seen), $"{sort} while adding: expected {expected.Count}, got {seen.Count}");
            Assert.True(added == 50, $"{sort}: {added} added over {seen.Count} matches");
        }
    }

    [StoreFact]
    public async Task Search_follows_edits_moderation_and_deletion_of_the_text()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var tenant = TenantOf(Alpha);
        var creator = Creator();
        var admin = new MarketplaceCaller(UserId.New(), false, true);
        var catalog = store.Get<MarketplaceCatalog>();
        var search = store.Get<MarketplaceSearch>();
        var item = await CreateAsync(store, tenant, creator, title: "Crème brûlée planner", description: "Desserts, step by step");
        await CreateAsync(store, tenant, creator, title: "Other", description: "Nothing alike");
        async Task<IReadOnlyList<string>> FindAsync(string query, string sort = "relevance") =>
            [.. (await search.SearchAsync(tenant, new SearchRequest { Query = query, Sort = sort }, default)).Value.Items.Select(v => v.Item.Id)];

        Assert.Equal([item.Id], await FindAsync("CREME brul"));
        Assert.Equal([item.Id], await FindAsync("dessert", "newest"));
        Assert.Empty(await FindAsync("brulee planners"));

        var edited = await catalog.UpdateAsync(tenant, creator, item.Id, new ItemInput("Garden planner", "Seeds and soil", "feature", ["writing"], 0, "USD", null), default);
        Assert.True(edited.IsSuccess, edited.Error?.Code);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await FindAsync("creme"));
        Assert.Empty(await FindAsync("desserts", "rating"));
        Assert.Equal([item.Id], await FindAsync("garden PLAN"));
        Assert.Equal([item.Id], await FindAsync("soil", "installs"));

        Assert.True((await catalog.ModerateAsync(tenant, admin, item.Id, ModerationAction.Hide, default)).IsSuccess);
        Assert.Empty(await FindAsync("garden"));
        Assert.True((await catalog.ModerateAsync(tenant, admin, item.Id, ModerationAction.Unhide, default)).IsSuccess);
        Assert.Equal([item.Id], await FindAsync("garden"));
        Assert.True((await catalog.DeleteAsync(tenant, creator, item.Id, default)).IsSuccess);
        Assert.Empty(await FindAsync("garden"));
    }

    [StoreFact]
    public async Task Search_listing_and_ratings_pages_show_each_users_own_name_and_none_for_unnamed_erased_or_unknown_users()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf(Alpha);
        var directory = store.Get<IUserDirectory>();
        var (ada, grace, plain, eve, ghost) = (Creator(), Creator(), Creator(), Creator(), Creator());
        foreach (var (who, name) in new[] { (ada, "Ada"), (grace, "Grace"), (plain, null), (eve, "Eve") })
        {
            await directory.EnsureUserAsync(Alpha, who.Id, Now, default);
            if (name is not null)
            {
                Assert.True(await directory.SetDisplayNameAsync(Alpha, who.Id, name, default));
            }
        }

        // The same id in another tenant, with another name: never shown in alpha.
        await directory.EnsureUserAsync(Beta, grace.Id, Now, default);
        Assert.True(await directory.SetDisplayNameAsync(Beta, grace.Id, "Beta's Grace", default));

        // ghost has no user record at all; ada publishes twice (one name read for both).
        var items = new Dictionary<string, string?>();
        foreach (var (who, name, i) in new[] { (ada, "Ada", 0), (grace, "Grace", 1), (plain, null, 2), (eve, "Eve", 3), (ghost, null, 4), (ada, "Ada", 5) })
        {
            items[(await CreateAsync(store, tenant, who, title: $"Namecheck {i}")).Id] = name;
        }

        async Task<Dictionary<string, string?>> SearchAsync() =>
            (await store.Get<MarketplaceSearch>().SearchAsync(tenant, new SearchRequest { Query = "namecheck", Sort = "newest" }, default)).Value.Items.ToDictionary(v => v.Item.Id, v => v.CreatorDisplayName);

        Assert.Equal(items, await SearchAsync());

        // Erased: the item stays (its creator de-identified), the name goes.
        var eveItem = items.Single(p => p.Value == "Eve").Key;
        Assert.True(await store.Get<Domain.Privacy.EraseUserData>().HandleAsync(Alpha, eve.Id, default) > 0);
        items[eveItem] = null;
        Assert.Equal(items, await SearchAsync());

        var own = await store.Get<MarketplaceListings>().MineAsync(tenant, ada, null, null, null, default);
        Assert.True(own.IsSuccess, own.Error?.Code);
        Assert.Equal(["Ada", "Ada"], own.Value.Items.Select(v => v.CreatorDisplayName));

        // Raters: named, unnamed, without a user record.
        var installs = store.Get<MarketplaceInstalls>();
        var rated = items.First(p => p.Value == "Grace").Key;
        foreach (var (who, label) in new[] { (ada, "ada"), (plain, "plain"), (ghost, "ghost") })
        {
            Assert.True((await installs.InstallAsync(tenant, who, rated, default)).IsSuccess);
            Assert.True((await installs.RateAsync(tenant, who, rated, 4, label, default)).IsSuccess);
        }

        var ratings = await installs.ListRatingsAsync(tenant, ada, rated, null, null, default);
        Assert.True(ratings.IsSuccess, ratings.Error?.Code);
        Assert.Equal(new Dictionary<string, string?> { ["ada"] = "Ada", ["plain"] = null, ["ghost"] = null }, ratings.Value.Items.ToDictionary(r => r.Review!, r => r.DisplayName));
    }

    [StoreFact]
    public async Task A_continuation_of_another_search_or_a_forged_one_is_refused()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf(Alpha);
        var creator = Creator();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(store, tenant, creator, $"Writer {i}");
        }

        var search = store.Get<MarketplaceSearch>();
        var first = await search.SearchAsync(tenant, new SearchRequest { Query = "writer", Limit = 1 }, default);
        Assert.NotNull(first.Value.Continuation);
        Assert.Equal("validation_failed", (await search.SearchAsync(tenant, new SearchRequest { Query = "other", Limit = 1, Continuation = first.Value.Continuation }, default)).Error?.Code);
        Assert.Equal("validation_failed", (await search.SearchAsync(tenant, new SearchRequest { Query = "writer", Continuation = "bm90LWEtdG9rZW4" }, default)).Error?.Code);
        Assert.Equal("validation_failed", (await search.SearchAsync(tenant, new SearchRequest { Query = "writer", Continuation = "%%%" }, default)).Error?.Code);
        Assert.Single((await search.SearchAsync(tenant, new SearchRequest { Query = "writer", Limit = 1, Continuation = first.Value.Continuation }, default)).Value.Items);
    }

    private static async Task<List<string>> PageAllAsync(StoreSet store, Tenant tenant, SearchRequest request, ItemSort sort, Action onPage, Func<Task>? betweenPages = null)
    {
        var search = store.Get<MarketplaceSearch>();
        var seen = new List<string>();
        string? continuation = null;
        var previous = (Group: -1, Key: long.MaxValue, Id: "\uffff");
        for (var guard = 0; guard < 1000; guard++)
        {
            var page = await search.SearchAsync(tenant, request with { Continuation = continuation }, default);
            Assert.True(page.IsSuccess, page.Error?.Detail);
            Assert.True(page.Value.Items.Count <= 20);
            onPage();
            foreach (var view in page.Value.Items)
            {
                // Ordered by (key, id) descending (within a relevance group when there are words).
                var key = view.Item.SortKey(sort);
                Assert.True(key < previous.Key || (key == previous.Key && string.CompareOrdinal(view.Item.Id, previous.Id) < 0) || (sort == ItemSort.Relevance && request.Query is not null), $"order broken at {view.Item.Id}");
                previous = (0, key, view.Item.Id);
                seen.Add(view.Item.Id);
            }

            continuation = page.Value.Continuation;
            if (continuation is null)
            {
                return seen;
            }

            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }

        throw new InvalidOperationException("Paging did not end.");
    }

    private static bool Matches(MarketplaceItem item, SearchRequest request)
    {
        var text = SearchText.Index(item.Details.Title + " " + item.Details.Description);
        var words = request.Query is null ? [] : SearchText.Words(request.Query);
        return SearchText.Patterns(words).All(p => text.Contains(p, StringComparison.Ordinal))
            && (request.Category is null || item.Details.Categories.Contains(request.Category))
            && (request.Kind is null || MarketplaceText.Format(item.Details.Kind) == request.Kind)
            && (request.MinPrice is null || item.Details.Price.MinorUnits >= request.MinPrice)
            && (request.MaxPrice is null || item.Details.Price.MinorUnits <= request.MaxPrice)
            && (request.Free is null || item.Details.IsFree == request.Free);
    }
}
