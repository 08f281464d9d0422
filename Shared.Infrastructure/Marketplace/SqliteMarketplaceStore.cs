using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// The marketplace in the embedded store. An install or a rating and the item's counters change in one write operation
/// of the single writer (one transaction), so counts, sums and histograms are exact under any concurrency. Searches
/// are answered from the tenant's in-process index (<see cref="SqliteCatalogIndexes"/>), or in SQL, testing words on
/// the normalised text with instr() (the same substring rules as Cosmos' CONTAINS) over candidates found through a word
/// index (marketplace_item_words) or the order's index (see <see cref="FindAsync"/>).
/// </summary>
public sealed class SqliteMarketplaceStore(SqliteDatabase db, SqliteCatalogIndexes indexes) : IMarketplaceStore
{
    /// <summary>
    /// Up to this many items carrying the rarest search word, a search reads them by id and sorts them (a few
    /// microseconds each); above it, walking the order's index until the page is full is cheaper.
    /// </summary>
    private const int DriveMax = 256;

    /// <summary>
    /// The bound for the relevance group "every word in the title": its matches are rare, so walking the order's index
    /// testing instr() on every row reads nearly every row (~10 ms for 10,000 items). Up to this many, the words' items
    /// (in their title) are intersected: read by id and sorted when one word's items are at most <see cref="DriveMax"/> or
    /// two or more words are intersected; else (one word, 257–1024 items) the order's index is walked with the item ids
    /// as a filter the index alone can test (see <see cref="FindAsync"/>).
    /// </summary>
    private const int TitleDriveMax = 1024;

    private const string Columns = "id, creator_id, title, description, kind, categories, price_cents, currency, asset_ref, status, verified, created_at_ms, updated_at_ms, deleted_at_ms, details_version, install_count, active_installs, rating_count, rating_sum, rating_h1, rating_h2, rating_h3, rating_h4, rating_h5";

    public Task CreateAsync(MarketplaceItem item, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute(
                    "INSERT INTO marketplace_items (tenant_id, id, creator_id, title, description, kind, categories, category_keys, price_cents, currency, asset_ref, status, verified, created_at_ms, updated_at_ms, deleted_at_ms, details_version, search_text, title_text, rating_score) "
                    + "VALUES ($t, $id, $creator, $title, $description, $kind, $categories, $keys, $price, $currency, $asset, $status, $verified, $created, $updated, $deleted, $version, $search, $titleText, $score)",
                    [.. DetailParameters(item), ("$creator", item.CreatorId.Value), ("$created", item.CreatedAt.ToUnixTimeMilliseconds()), ("$score", RatingSummary.Empty.Score)]);
                InsertWords(w, item);
                return true;
            },
            cancellationToken);

    public Task<MarketplaceItem?> GetAsync(TenantId tenantId, string itemId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM marketplace_items WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", itemId));
            return ReadAll(command, r => ReadItem(r, tenantId)).FirstOrDefault();
        }));

    public Task<bool> TrySaveDetailsAsync(MarketplaceItem item, long expectedVersion, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var saved = w.Execute(
                    "UPDATE marketplace_items SET title = $title, description = $description, kind = $kind, categories = $categories, category_keys = $keys, price_cents = $price, currency = $currency, asset_ref = $asset, "
                    + "status = $status, verified = $verified, updated_at_ms = $updated, deleted_at_ms = $deleted, details_version = $version, search_text = $search, title_text = $titleText "
                    + "WHERE tenant_id = $t AND id = $id AND details_version = $expected",
                    [.. DetailParameters(item), ("$expected", expectedVersion)]) == 1;
                if (saved)
                {
                    // The word index follows the text in the same transaction (a moderation or a delete rewrites the same words).
                    w.Execute("DELETE FROM marketplace_item_words WHERE tenant_id = $t AND item_id = $id", ("$t", item.TenantId.Value), ("$id", item.Id));
                    InsertWords(w, item);
                }

                return saved;
            },
            cancellationToken);

    /// <summary>
    /// From the tenant's in-process index (<see cref="SqliteCatalogIndexes"/>, brought up to the file's catalog version
    /// first), or with SQL (<see cref="FindWithSql"/>) when the index is off, the catalog is over its size or its first
    /// load is under way. Both give the same items in the same order (a test compares them on random catalogs).
    /// </summary>
    public Task<IReadOnlyList<MarketplaceItem>> FindAsync(TenantId tenantId, ItemSearch search, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MarketplaceItem>>(db.Read(c => indexes.TryFind(c, tenantId, search, r => ReadItem(r, tenantId), Columns) ?? FindWithSql(c, tenantId, search)));

    /// <summary>
    /// One SELECT in one of three shapes, chosen by how many items carry the search's rarest word (counted in the word
    /// index, capped): few (at most <see cref="DriveMax"/>, or <see cref="TitleDriveMax"/> in the title group; see
    /// <see cref="DrivingWords"/>) → read exactly those items by id and sort them; in the title group, one word with
    /// more than <see cref="DriveMax"/> → walk the order's index keeping only entries whose id carries the word (tested
    /// on the index entry, before the row is read); many or no words → walk the order's index (which carries the
    /// filter columns) from the cursor and stop after the page. The instr() tests on the normalised text stay in both shapes, so which items match never depends on the shape or
    /// on the word index (it only narrows where to look); the unary + keeps SQLite from picking another index.
    /// </summary>
    private static List<MarketplaceItem> FindWithSql(SqliteConnection c, TenantId tenantId, ItemSearch search)
    {
        // The relevance group "every word in the title" only needs the items with the word in their title.
        var titleOnly = search.InTitle == true ? " AND in_title = 1" : "";
        var (drivers, fewest) = search.Patterns.Count == 0 ? ([], 0) : DrivingWords(c, tenantId, search.Patterns, titleOnly, search.InTitle == true ? TitleDriveMax : DriveMax);

        // One title word carried by more items than are cheap to read and sort (a common word: ~360 of 10,000 in the
        // benchmark, 4.2 ms to read them by id and sort) → walk the order's index and test each entry's id against
        // the word's items, which needs no table row (0.5 ms for the same page, EXPLAIN: the order's index plus a
        // LIST SUBQUERY); only the rows that pass are read. The unary + on id keeps SQLite from driving by id.
        var filterOnly = drivers.Count == 1 && fewest > DriveMax;
        var byId = drivers.Count > 0 && !filterOnly;
        var plus = byId ? "+" : "";

        // The plan is named, not left to SQLite's guess: walking an order, its index (which carries the filter columns,
        // so a row is read only once its entry passes them); reading by id, the primary key, with the unary + on status
        // keeping the (status, created) listing index out. Left to itself SQLite walked that listing index for the
        // newest order, and for reads by id (2 equality columns either way), reading each row to test kind, price and
        // category, or every published row to test its id (3,000 bench searches replayed: 0.97 -> 0.67 ms CPU per SELECT).
        var sql = new StringBuilder($"SELECT {Columns} FROM marketplace_items");
        sql.Append(byId ? "" : $" INDEXED BY {OrderIndex(search.Sort)}").Append(" WHERE tenant_id = $t");
        var parameters = new List<(string, object?)> { ("$t", tenantId.Value), ("$upTo", search.CreatedUpTo) };
        for (var i = 0; i < drivers.Count; i++)
        {
            sql.Append(i == 0 ? (filterOnly ? " AND +id IN (" : " AND id IN (") : " INTERSECT ")
                .Append("SELECT item_id FROM marketplace_item_words WHERE tenant_id = $t AND ").Append(WordCondition(drivers[i], $"$d{i}")).Append(titleOnly);
            parameters.Add(($"$d{i}", drivers[i].Trim()));
        }

        if (drivers.Count > 0)
        {
            sql.Append(')');
        }

        sql.Append(byId ? " AND +status = 'published'" : " AND status = 'published'").Append(" AND deleted_at_ms IS NULL AND +created_at_ms <= $upTo");
        if (search.Kind is { } kind)
        {
            sql.Append(" AND kind = $kind");
            parameters.Add(("$kind", MarketplaceText.Format(kind)));
        }

        if (search.Category is { } category)
        {
            sql.Append(" AND instr(category_keys, $category) > 0");
            parameters.Add(("$category", "|" + category + "|"));
        }

        if (search.MinPrice is { } min)
        {
            sql.Append(" AND price_cents >= $min");
            parameters.Add(("$min", min));
        }

        if (search.MaxPrice is { } max)
        {
            sql.Append(" AND price_cents <= $max");
            parameters.Add(("$max", max));
        }

        if (search.Free is { } free)
        {
            sql.Append(free ? " AND price_cents = 0" : " AND price_cents > 0");
        }

        var inTitle = new List<string>();
        for (var i = 0; i < search.Patterns.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND instr(search_text, $w{i}) > 0");
            parameters.Add(($"$w{i}", search.Patterns[i]));
            inTitle.Add($"instr(title_text, $w{i}) > 0");
        }

        if (search.InTitle is { } wanted && inTitle.Count > 0)
        {
            sql.Append(wanted ? " AND (" : " AND NOT (").Append(string.Join(" AND ", inTitle)).Append(')');
        }

        var key = plus + KeyColumn(search.Sort);
        var id = plus + "id";
        if (search.AfterKey is { } afterKey && search.AfterId is { } afterId)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND ({key} < $k OR ({key} = $k AND {id} < $after))");
            parameters.Add(("$k", afterKey));
            parameters.Add(("$after", afterId));
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {key} DESC, {id} DESC LIMIT $limit");
        parameters.Add(("$limit", search.Limit));
        using var command = Command(c, null, sql.ToString(), [.. parameters]);
        return ReadAll(command, r => ReadItem(r, tenantId));
    }

    /// <summary>
    /// One SELECT over the listing indexes of migration marketplace.4 ((creator or status), created, id; deleted items
    /// left out of them), from the cursor, stopping after the page.
    /// </summary>
    public Task<IReadOnlyList<MarketplaceItem>> ListAsync(TenantId tenantId, ItemListing listing, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MarketplaceItem>>(db.Read(c =>
        {
            var sql = new StringBuilder($"SELECT {Columns} FROM marketplace_items WHERE tenant_id = $t AND deleted_at_ms IS NULL");
            var parameters = new List<(string, object?)> { ("$t", tenantId.Value), ("$limit", listing.Limit) };
            if (listing.CreatorId is { } creator)
            {
                sql.Append(" AND creator_id = $creator");
                parameters.Add(("$creator", creator.Value));
            }

            if (listing.Status is { } status)
            {
                sql.Append(" AND status = $status");
                parameters.Add(("$status", MarketplaceText.Format(status)));
            }

            if (listing.AfterCreatedMs is { } afterMs && listing.AfterId is { } afterId)
            {
                sql.Append(" AND (created_at_ms < $at OR (created_at_ms = $at AND id < $after))");
                parameters.Add(("$at", afterMs));
                parameters.Add(("$after", afterId));
            }

            sql.Append(" ORDER BY created_at_ms DESC, id DESC LIMIT $limit");
            using var command = Command(c, null, sql.ToString(), [.. parameters]);
            return ReadAll(command, r => ReadItem(r, tenantId));
        }));

    /// <summary>
    /// The patterns (<see cref="SearchText.Patterns"/>: " w " a whole word, " p" a prefix) whose items to read by id,
    /// and how many items the rarest of them has:
    /// none when every one is carried by more than <paramref name="max"/> items (in their title with
    /// <paramref name="titleOnly"/>); otherwise the rarest one, or for the title group every one within the bound (their
    /// items intersected: few items have all the words in their title, and walking the order's index to find them
    /// would read almost every row). Each count stops at max + 1 entries of the word index.
    /// </summary>
    private static (List<string> Patterns, long Fewest) DrivingWords(SqliteConnection connection, TenantId tenantId, IReadOnlyList<string> patterns, string titleOnly, int max)
    {
        var counted = new List<(string Pattern, long Count)>();
        foreach (var pattern in patterns)
        {
            var count = (long)Scalar(
                connection,
                null,
                $"SELECT count(*) FROM (SELECT 1 FROM marketplace_item_words WHERE tenant_id = $t AND {WordCondition(pattern, "$w")}{titleOnly} LIMIT $cap)",
                ("$t", tenantId.Value),
                ("$w", pattern.Trim()),
                ("$cap", max + 1))!;
            counted.Add((pattern, count));
        }

        var within = counted.Where(p => p.Count <= max).OrderBy(p => p.Count).ToList();
        var fewest = within.Count == 0 ? 0 : within[0].Count;
        return (titleOnly.Length > 0 ? [.. within.Select(p => p.Pattern)] : [.. within.Take(1).Select(p => p.Pattern)], fewest);
    }

    /// <summary>A whole word is one key of the word index; a prefix is the range of keys that start with it (any word
    /// sorts below the prefix followed by U+10FFFF, whose UTF-8 bytes are above every character a word can hold).</summary>
    private static string WordCondition(string pattern, string parameter) =>
        pattern.EndsWith(' ') ? $"word = {parameter}" : $"word >= {parameter} AND word < {parameter} || char(1114111)";

    private static void InsertWords(SqliteWriter writer, MarketplaceItem item)
    {
        var title = SearchText.Words(item.Details.Title).ToHashSet(StringComparer.Ordinal);
        foreach (var word in SearchText.Words(item.Details.Title + " " + item.Details.Description).Distinct(StringComparer.Ordinal))
        {
            writer.Execute(
                "INSERT INTO marketplace_item_words (tenant_id, word, item_id, in_title) VALUES ($t, $word, $id, $inTitle)",
                ("$t", item.TenantId.Value),
                ("$word", word),
                ("$id", item.Id),
                ("$inTitle", title.Contains(word) ? 1 : 0));
        }
    }

    public Task<InstallOutcome> InstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var ms = at.ToUnixTimeMilliseconds();
                var inserted = w.Execute(
                    "INSERT INTO marketplace_installs (tenant_id, item_id, user_id, installed_at_ms, active, updated_at_ms) VALUES ($t, $item, $u, $at, 1, $at) ON CONFLICT DO NOTHING",
                    ("$t", tenantId.Value), ("$item", itemId), ("$u", userId.Value), ("$at", ms)) == 1;
                var reactivated = !inserted && w.Execute(
                    "UPDATE marketplace_installs SET active = 1, updated_at_ms = $at WHERE tenant_id = $t AND item_id = $item AND user_id = $u AND active = 0",
                    ("$at", ms), ("$t", tenantId.Value), ("$item", itemId), ("$u", userId.Value)) == 1;
                if (inserted || reactivated)
                {
                    w.Execute(
                        "UPDATE marketplace_items SET install_count = install_count + $new, active_installs = active_installs + 1 WHERE tenant_id = $t AND id = $item",
                        ("$new", inserted ? 1 : 0), ("$t", tenantId.Value), ("$item", itemId));
                }

                using var reader = w.Query("SELECT install_count, active_installs FROM marketplace_items WHERE tenant_id = $t AND id = $item", ("$t", tenantId.Value), ("$item", itemId));
                return reader.Read() ? new InstallOutcome(inserted, reader.GetInt64(0), reader.GetInt64(1)) : new InstallOutcome(inserted, 0, 0);
            },
            cancellationToken);

    public Task<bool> UninstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var changed = w.Execute(
                    "UPDATE marketplace_installs SET active = 0, updated_at_ms = $at WHERE tenant_id = $t AND item_id = $item AND user_id = $u AND active = 1",
                    ("$at", at.ToUnixTimeMilliseconds()), ("$t", tenantId.Value), ("$item", itemId), ("$u", userId.Value)) == 1;
                if (changed)
                {
                    w.Execute("UPDATE marketplace_items SET active_installs = active_installs - 1 WHERE tenant_id = $t AND id = $item", ("$t", tenantId.Value), ("$item", itemId));
                }

                return changed;
            },
            cancellationToken);

    public Task<bool> HasInstalledAsync(TenantId tenantId, string itemId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(c, null, "SELECT 1 FROM marketplace_installs WHERE tenant_id = $t AND item_id = $item AND user_id = $u", ("$t", tenantId.Value), ("$item", itemId), ("$u", userId.Value)) is not null));

    public Task<RatingSummary> RateAsync(ItemRating rating, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                (string, object?)[] keys = [("$t", rating.TenantId.Value), ("$item", rating.ItemId), ("$u", rating.UserId.Value)];
                var previous = w.Scalar("SELECT stars FROM marketplace_ratings WHERE tenant_id = $t AND item_id = $item AND user_id = $u", keys) is long s ? (int?)s : null;
                w.Execute(
                    "INSERT INTO marketplace_ratings (tenant_id, item_id, user_id, stars, review, updated_at_ms) VALUES ($t, $item, $u, $stars, $review, $at) "
                    + "ON CONFLICT (tenant_id, item_id, user_id) DO UPDATE SET stars = excluded.stars, review = excluded.review, updated_at_ms = excluded.updated_at_ms",
                    [.. keys, ("$stars", rating.Stars), ("$review", rating.Review), ("$at", rating.UpdatedAt.ToUnixTimeMilliseconds())]);

                // Column names come from the star values (1–5, validated), never from input text.
                // (A replacement with the same stars changes nothing: one SET naming a column twice keeps only the last.)
                var newColumn = $"rating_h{rating.Stars}";
                var change = previous switch
                {
                    null => $"rating_count = rating_count + 1, rating_sum = rating_sum + {rating.Stars}, {newColumn} = {newColumn} + 1",
                    var old when old != rating.Stars => $"rating_sum = rating_sum + {rating.Stars - old}, rating_h{old} = rating_h{old} - 1, {newColumn} = {newColumn} + 1",
                    _ => null,
                };
                if (change is not null)
                {
                    w.Execute($"UPDATE marketplace_items SET {change} WHERE tenant_id = $t AND id = $item", ("$t", rating.TenantId.Value), ("$item", rating.ItemId));
                }

                RatingSummary summary;
                using (var reader = w.Query("SELECT rating_count, rating_sum, rating_h1, rating_h2, rating_h3, rating_h4, rating_h5 FROM marketplace_items WHERE tenant_id = $t AND id = $item", ("$t", rating.TenantId.Value), ("$item", rating.ItemId)))
                {
                    summary = reader.Read() ? new RatingSummary(reader.GetInt64(0), reader.GetInt64(1), [reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)]) : RatingSummary.Empty;
                }

                w.Execute("UPDATE marketplace_items SET rating_score = $score WHERE tenant_id = $t AND id = $item", ("$score", summary.Score), ("$t", rating.TenantId.Value), ("$item", rating.ItemId));
                return summary;
            },
            cancellationToken);

    public Task<RatingPage> ListRatingsAsync(TenantId tenantId, string itemId, int max, RatingCursor? after, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT user_id, stars, review, updated_at_ms FROM marketplace_ratings WHERE tenant_id = $t AND item_id = $item "
                + "AND (updated_at_ms < $at OR (updated_at_ms = $at AND user_id < $u)) ORDER BY updated_at_ms DESC, user_id DESC LIMIT $max",
                ("$t", tenantId.Value),
                ("$item", itemId),
                ("$at", after?.UpdatedAtMs ?? long.MaxValue),
                ("$u", after?.UserId ?? "\uffff"),
                ("$max", max + 1));
            var items = ReadAll(command, r => new ItemRating(tenantId, itemId, UserId.Parse(r.GetString(0)), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
            if (items.Count <= max)
            {
                return new RatingPage(items, null);
            }

            items.RemoveAt(max);
            return new RatingPage(items, new RatingCursor(items[^1].UpdatedAt.ToUnixTimeMilliseconds(), items[^1].UserId.Value));
        }));

    /// <summary>The order's index (migration marketplace.3): (tenant, key, id) and the filter columns, published and not deleted only.</summary>
    private static string OrderIndex(ItemSort sort) => sort switch
    {
        ItemSort.Installs => "marketplace_items_by_installs_filtered",
        ItemSort.Newest => "marketplace_items_by_created_filtered",
        _ => "marketplace_items_by_score_filtered",
    };

    private static string KeyColumn(ItemSort sort) => sort switch
    {
        ItemSort.Installs => "install_count",
        ItemSort.Newest => "created_at_ms",
        _ => "rating_score",
    };

    private static (string, object?)[] DetailParameters(MarketplaceItem item) =>
    [
        ("$t", item.TenantId.Value),
        ("$id", item.Id),
        ("$title", item.Details.Title),
        ("$description", item.Details.Description),
        ("$kind", MarketplaceText.Format(item.Details.Kind)),
        ("$categories", JsonSerializer.Serialize(item.Details.Categories)),
        ("$keys", "|" + string.Join('|', item.Details.Categories) + "|"),
        ("$price", item.Details.Price.MinorUnits),
        ("$currency", item.Details.Price.Currency),
        ("$asset", item.Details.AssetRef),
        ("$status", MarketplaceText.Format(item.Status)),
        ("$verified", item.Verified ? 1 : 0),
        ("$updated", item.UpdatedAt.ToUnixTimeMilliseconds()),
        ("$deleted", item.DeletedAt?.ToUnixTimeMilliseconds()),
        ("$version", item.DetailsVersion),
        ("$search", SearchText.Index(item.Details.Title + " " + item.Details.Description)),
        ("$titleText", SearchText.Index(item.Details.Title)),
    ];

    private static MarketplaceItem ReadItem(SqliteDataReader r, TenantId tenantId) => new()
    {
        Id = r.GetString(0),
        TenantId = tenantId,
        CreatorId = UserId.Parse(r.GetString(1)),
        Details = new ItemDetails(r.GetString(2), r.GetString(3), MarketplaceText.ParseKind(r.GetString(4)), JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [], new Money(r.GetInt64(6), r.GetString(7)), r.IsDBNull(8) ? null : r.GetString(8)),
        Status = MarketplaceText.ParseStatus(r.GetString(9)),
        Verified = r.GetInt64(10) == 1,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        DeletedAt = r.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
        DetailsVersion = r.GetInt64(14),
        InstallCount = r.GetInt64(15),
        ActiveInstalls = r.GetInt64(16),
        Ratings = new RatingSummary(r.GetInt64(17), r.GetInt64(18), [r.GetInt64(19), r.GetInt64(20), r.GetInt64(21), r.GetInt64(22), r.GetInt64(23)]),
    };
}
