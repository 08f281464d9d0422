using Shared.Domain.Marketplace;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Marketplace;

public sealed class SqliteMarketplaceTests : MarketplaceScenarios
{
    private const string WordsMigration = "marketplace.3-search-words-covering-orders";

    protected override int PagingItems => 1000;

    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);

    /// <summary>
    /// Items stored before the word index existed get their words from the migration's backfill: exactly the rows the
    /// write path makes (words of title and description as SearchText folds them, in_title for the title's), so
    /// search finds them.
    /// </summary>
    [Fact]
    public async Task The_word_index_migration_backfills_existing_items_exactly_as_the_write_path_indexes_them()
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "test.db");
        var tenant = TenantOf(Alpha);
        List<string> written;
        string itemId;
        await using (var store = await StoreSet.SqliteAsync(new ManualTimeProvider(Now), path))
        {
            itemId = (await CreateAsync(store, tenant, Creator(), title: "Crème BRÛLÉE: planner", description: "crème, planner & straße — 2 × faster; œuvre")).Id;
            await CreateAsync(store, tenant, Creator(), title: "Other", description: "x");
            await CreateAsync(store, TenantOf(Beta), Creator(), title: "Planner", description: "beta's planner");
            written = WordRows(store);
            Assert.Contains($"alpha|{itemId}|creme|1", written);
            Assert.Contains($"alpha|{itemId}|strasse|0", written);
            store.Get<SqliteDatabase>().Read(c => SqliteDatabase.Execute(c, null, "DROP TABLE marketplace_item_words; DELETE FROM schema_migrations WHERE id = $id;", ("$id", WordsMigration)));
        }

        await using var reopened = await StoreSet.SqliteAsync(new ManualTimeProvider(Now.AddMinutes(1)), path);
        Assert.Equal(written, WordRows(reopened));
        var found = await reopened.Get<MarketplaceSearch>().SearchAsync(tenant, new SearchRequest { Query = "brulee PLAN" }, default);
        Assert.Equal([itemId], found.Value.Items.Select(v => v.Item.Id));
    }

    private static List<string> WordRows(StoreSet store) => store.Get<SqliteDatabase>().Read(c =>
    {
        using var command = SqliteDatabase.Command(c, null, "SELECT tenant_id || '|' || item_id || '|' || word || '|' || in_title FROM marketplace_item_words ORDER BY tenant_id, item_id, word");
        return SqliteDatabase.ReadAll(command, r => r.GetString(0));
    });
}

/// <summary>The same scenarios with the search index off: SQL answers every search (as for catalogs over the index's size).</summary>
public sealed class SqliteSqlSearchMarketplaceTests : MarketplaceScenarios
{
    protected override int PagingItems => 1000;

    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) =>
        StoreSet.SqliteAsync(time, settings: new Dictionary<string, string?> { ["Marketplace:SearchIndexMaxItems"] = "0" });
}
