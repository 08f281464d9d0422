using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// The marketplace in Cosmos DB: container <c>marketplace</c>, partition [tenantId, itemId]. An item's install and
/// rating documents live in its partition, so each marker write and the item's counter patch are ONE transactional
/// batch (both or neither): an install creates "install:{user}" (a second create conflicts, so it counts once) and
/// increments the counters; an uninstall or reinstall flips the marker's <c>active</c> under a condition and moves
/// <c>active_installs</c>; a rating is created, or replaced under its ETag, with the exact change (new star, or old
/// star → new star) as patch increments. Patches are atomic on the server and carry no ETag, so concurrent installs and
/// ratings of different users never retry on the item; only the same user's own concurrent ratings retry on their
/// rating document's ETag. The confidence score is then set conditionally on the count and sum it was computed from,
/// so the last writer's score is the one matching the final counters (a derived value: a failure there leaves the
/// score one change behind, never the counters).
/// </summary>
public sealed class CosmosMarketplaceStore(CosmosDatabase db) : IMarketplaceStore
{
    private const int RatingAttempts = 50;
    private readonly Container _container = db.Container(CosmosContainers.Marketplace);

    public async Task CreateAsync(MarketplaceItem item, CancellationToken cancellationToken)
    {
        if (!await _container.TryCreateAsync(MarketplaceItemDocument.From(item), Key(item.TenantId, item.Id), cancellationToken))
        {
            throw new InvalidOperationException($"Marketplace item {item.Id} exists already.");
        }
    }

    public async Task<MarketplaceItem?> GetAsync(TenantId tenantId, string itemId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _container.ReadAsync<MarketplaceItemDocument>(itemId, Key(tenantId, itemId), cancellationToken);
        return doc is { Type: "item" } ? doc.ToItem() : null;
    }

    public async Task<bool> TrySaveDetailsAsync(MarketplaceItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        var doc = MarketplaceItemDocument.From(item);
        PatchOperation[] operations =
        [
            PatchOperation.Set("/details", doc.Details),
            PatchOperation.Set("/status", doc.Status),
            PatchOperation.Set("/verified", doc.Verified),
            PatchOperation.Set("/deleted", doc.Deleted),
            PatchOperation.Set("/deleted_at_ms", doc.DeletedAtMs),
            PatchOperation.Set("/updated_at_ms", doc.UpdatedAtMs),
            PatchOperation.Set("/details_version", doc.DetailsVersion),
            PatchOperation.Set("/search_text", doc.SearchText),
            PatchOperation.Set("/title_text", doc.TitleText),
        ];
        using var response = await _container.PatchItemStreamAsync(
            item.Id,
            Key(item.TenantId, item.Id),
            operations,
            new PatchItemRequestOptions { FilterPredicate = string.Create(CultureInfo.InvariantCulture, $"FROM c WHERE c.details_version = {expectedVersion}") },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<IReadOnlyList<MarketplaceItem>> FindAsync(TenantId tenantId, ItemSearch search, CancellationToken cancellationToken)
    {
        var query = SearchQuery(search);
        var list = new List<MarketplaceItem>();
        using var iterator = _container.GetItemQueryIterator<MarketplaceItemDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build(), MaxItemCount = search.Limit });
        while (iterator.HasMoreResults && list.Count < search.Limit)
        {
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => d.ToItem()));
        }

        return list;
    }

    /// <summary>
    /// The search as one parameterised query over the tenant's partitions: every filter in the WHERE clause, each word a
    /// CONTAINS over the normalised text, the keyset cursor as (key &lt; k OR (key = k AND id &lt; after)), and ORDER BY
    /// the key and id (served by the container's composite indexes).
    /// </summary>
    public static QueryDefinition SearchQuery(ItemSearch search)
    {
        var key = search.Sort switch
        {
            ItemSort.Installs => "c.install_count",
            ItemSort.Newest => "c.created_at_ms",
            _ => "c.rating_score",
        };
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.type = 'item' AND c.status = 'published' AND c.deleted = false AND c.created_at_ms <= @upTo");
        var parameters = new List<(string, object)> { ("@limit", search.Limit), ("@upTo", search.CreatedUpTo) };
        if (search.Kind is { } kind)
        {
            sql.Append(" AND c.details.kind = @kind");
            parameters.Add(("@kind", MarketplaceText.Format(kind)));
        }

        if (search.Category is { } category)
        {
            sql.Append(" AND ARRAY_CONTAINS(c.details.categories, @category)");
            parameters.Add(("@category", category));
        }

        if (search.MinPrice is { } min)
        {
            sql.Append(" AND c.details.price_cents >= @min");
            parameters.Add(("@min", min));
        }

        if (search.MaxPrice is { } max)
        {
            sql.Append(" AND c.details.price_cents <= @max");
            parameters.Add(("@max", max));
        }

        if (search.Free is { } free)
        {
            sql.Append(free ? " AND c.details.price_cents = 0" : " AND c.details.price_cents > 0");
        }

        var inTitle = new List<string>();
        for (var i = 0; i < search.Patterns.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND CONTAINS(c.search_text, @w{i})");
            parameters.Add(($"@w{i}", search.Patterns[i]));
            inTitle.Add($"CONTAINS(c.title_text, @w{i})");
        }

        if (search.InTitle is { } wanted && inTitle.Count > 0)
        {
            sql.Append(wanted ? " AND (" : " AND NOT (").Append(string.Join(" AND ", inTitle)).Append(')');
        }

        if (search.AfterKey is { } afterKey && search.AfterId is { } afterId)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND ({key} < @k OR ({key} = @k AND c.id < @after))");
            parameters.Add(("@k", afterKey));
            parameters.Add(("@after", afterId));
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {key} DESC, c.id DESC");
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }

        return query;
    }

    /// <summary>
    /// One query within the tenant's partition-key prefix, newest first (the (created_at_ms, id) composite index the
    /// newest order already uses), the creator and status as equality filters.
    /// </summary>
    public async Task<IReadOnlyList<MarketplaceItem>> ListAsync(TenantId tenantId, ItemListing listing, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT TOP @limit * FROM c WHERE c.type = 'item' AND c.deleted = false");
        var parameters = new List<(string, object)> { ("@limit", listing.Limit) };
        if (listing.CreatorId is { } creator)
        {
            sql.Append(" AND c.creator_id = @creator");
            parameters.Add(("@creator", creator.Value));
        }

        if (listing.Status is { } status)
        {
            sql.Append(" AND c.status = @status");
            parameters.Add(("@status", MarketplaceText.Format(status)));
        }

        if (listing.AfterCreatedMs is { } afterMs && listing.AfterId is { } afterId)
        {
            sql.Append(" AND (c.created_at_ms < @at OR (c.created_at_ms = @at AND c.id < @after))");
            parameters.Add(("@at", afterMs));
            parameters.Add(("@after", afterId));
        }

        sql.Append(" ORDER BY c.created_at_ms DESC, c.id DESC");
        var query = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }

        var list = new List<MarketplaceItem>();
        using var iterator = _container.GetItemQueryIterator<MarketplaceItemDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build(), MaxItemCount = listing.Limit });
        while (iterator.HasMoreResults && list.Count < listing.Limit)
        {
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => d.ToItem()));
        }

        return list;
    }

    public async Task<InstallOutcome> InstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, itemId);
        var ms = at.ToUnixTimeMilliseconds();
        var marker = new MarketplaceUserDocument
        {
            Id = MarketplaceUserDocument.InstallId(userId.Value),
            TenantId = tenantId.Value,
            ItemId = itemId,
            Type = "install",
            UserId = userId.Value,
            UpdatedAtMs = ms,
            InstalledAtMs = ms,
            Active = true,
        };
        if (await WithCountersAsync(key, itemId, b => b.CreateItemStream(CosmosStreams.Serialize(marker), NoContent()), [PatchOperation.Increment("/install_count", 1), PatchOperation.Increment("/active_installs", 1)], cancellationToken) is { } counted)
        {
            return new InstallOutcome(true, counted.InstallCount, counted.ActiveInstalls);
        }

        // Installed before: a reinstall after an uninstall makes it active again (the lifetime count stays).
        if (await WithCountersAsync(key, itemId, b => b.PatchItem(marker.Id, [PatchOperation.Set("/active", true), PatchOperation.Set("/updated_at_ms", ms)], Condition("FROM c WHERE c.active = false")), [PatchOperation.Increment("/active_installs", 1)], cancellationToken) is { } reactivated)
        {
            return new InstallOutcome(false, reactivated.InstallCount, reactivated.ActiveInstalls);
        }

        var item = await _container.ReadAsync<MarketplaceItemDocument>(itemId, key, cancellationToken);
        return new InstallOutcome(false, item.Document?.InstallCount ?? 0, item.Document?.ActiveInstalls ?? 0);
    }

    public async Task<bool> UninstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var marker = MarketplaceUserDocument.InstallId(userId.Value);
        return await WithCountersAsync(
            Key(tenantId, itemId),
            itemId,
            b => b.PatchItem(marker, [PatchOperation.Set("/active", false), PatchOperation.Set("/updated_at_ms", at.ToUnixTimeMilliseconds())], Condition("FROM c WHERE c.active = true")),
            [PatchOperation.Increment("/active_installs", -1)],
            cancellationToken) is not null;
    }

    public async Task<bool> HasInstalledAsync(TenantId tenantId, string itemId, UserId userId, CancellationToken cancellationToken)
    {
        using var response = await _container.ReadItemStreamAsync(MarketplaceUserDocument.InstallId(userId.Value), Key(tenantId, itemId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<RatingSummary> RateAsync(ItemRating rating, CancellationToken cancellationToken)
    {
        var key = Key(rating.TenantId, rating.ItemId);
        var id = MarketplaceUserDocument.RatingId(rating.UserId.Value);
        var doc = new MarketplaceUserDocument
        {
            Id = id,
            TenantId = rating.TenantId.Value,
            ItemId = rating.ItemId,
            Type = "rating",
            UserId = rating.UserId.Value,
            UpdatedAtMs = rating.UpdatedAt.ToUnixTimeMilliseconds(),
            Stars = rating.Stars,
            Review = rating.Review,
        };
        for (var attempt = 0; attempt < RatingAttempts; attempt++)
        {
            var (existing, etag) = await _container.ReadAsync<MarketplaceUserDocument>(id, key, cancellationToken);
            MarketplaceItemDocument? item;
            if (existing is null)
            {
                // The rating and its increments together; a conflict means the same user's concurrent first rating won: replace it.
                PatchOperation[] first = [PatchOperation.Increment("/rating_count", 1), PatchOperation.Increment("/rating_sum", rating.Stars), PatchOperation.Increment(Star(rating.Stars), 1)];
                item = await WithCountersAsync(key, rating.ItemId, b => b.CreateItemStream(CosmosStreams.Serialize(doc), NoContent()), first, cancellationToken);
            }
            else
            {
                // Replaced under its ETag (else the same user's concurrent rating changed it: read it again), with the exact change.
                var old = existing.Stars ?? rating.Stars;
                if (old == rating.Stars)
                {
                    // Same stars: only the review and time change, no counter moves.
                    item = await _container.TryReplaceAsync(doc, id, key, etag!, cancellationToken)
                        ? (await _container.ReadAsync<MarketplaceItemDocument>(rating.ItemId, key, cancellationToken)).Document ?? throw new InvalidOperationException($"Marketplace item {rating.ItemId} vanished.")
                        : null;
                }
                else
                {
                    PatchOperation[] change = [PatchOperation.Increment("/rating_sum", rating.Stars - old), PatchOperation.Increment(Star(old), -1), PatchOperation.Increment(Star(rating.Stars), 1)];
                    var ifMatch = new TransactionalBatchItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false };
                    item = await WithCountersAsync(key, rating.ItemId, b => b.ReplaceItemStream(id, CosmosStreams.Serialize(doc), ifMatch), change, cancellationToken);
                }
            }

            if (item is null)
            {
                continue;
            }
            var summary = item.Summary;

            // Only if the counters are still those it was computed from: a later rating's writer sets its own.
            await TryPatchAsync(
                rating.ItemId,
                key,
                [PatchOperation.Set("/rating_score", summary.Score)],
                string.Create(CultureInfo.InvariantCulture, $"FROM c WHERE c.rating_count = {summary.Count} AND c.rating_sum = {summary.Sum}"),
                cancellationToken);
            return summary;
        }

        throw new InvalidOperationException($"Rating of item {rating.ItemId} by {rating.UserId} kept conflicting with the same user's other ratings.");
    }

    public async Task<RatingPage> ListRatingsAsync(TenantId tenantId, string itemId, int max, RatingCursor? after, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
            "SELECT TOP @max * FROM c WHERE c.type = 'rating' AND (c.updated_at_ms < @at OR (c.updated_at_ms = @at AND c.user_id < @u)) ORDER BY c.updated_at_ms DESC, c.user_id DESC")
            .WithParameter("@max", max + 1)
            .WithParameter("@at", after?.UpdatedAtMs ?? long.MaxValue)
            .WithParameter("@u", after?.UserId ?? "\uffff");
        var items = new List<ItemRating>();
        using var iterator = _container.GetItemQueryIterator<MarketplaceUserDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = Key(tenantId, itemId) });
        while (iterator.HasMoreResults)
        {
            items.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => new ItemRating(tenantId, itemId, UserId.Parse(d.UserId), d.Stars ?? 0, d.Review, DateTimeOffset.FromUnixTimeMilliseconds(d.UpdatedAtMs))));
        }

        if (items.Count <= max)
        {
            return new RatingPage(items, null);
        }

        items.RemoveRange(max, items.Count - max);
        return new RatingPage(items, new RatingCursor(items[^1].UpdatedAt.ToUnixTimeMilliseconds(), items[^1].UserId.Value));
    }

    private static string Star(int stars) => string.Create(CultureInfo.InvariantCulture, $"/rating_h{stars}");

    private static PartitionKey Key(TenantId tenantId, string itemId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(itemId).Build();

    /// <summary>
    /// The marker operation <paramref name="marker"/> adds and the patch of the item's counters, as one transactional
    /// batch in the item's partition: applied both or neither. Answers the item after it, or null when the marker
    /// operation was refused (exists, condition false, ETag changed, missing) and nothing changed.
    /// </summary>
    private async Task<MarketplaceItemDocument?> WithCountersAsync(PartitionKey key, string itemId, Action<TransactionalBatch> marker, IReadOnlyList<PatchOperation> counters, CancellationToken cancellationToken)
    {
        var batch = _container.CreateTransactionalBatch(key);
        marker(batch);
        batch.PatchItem(itemId, counters, new TransactionalBatchPatchItemRequestOptions { EnableContentResponseOnWrite = true });
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if (response.Count > 1 && response[0].StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound && response[1].StatusCode == HttpStatusCode.FailedDependency)
            {
                return null;
            }

            throw new CosmosException($"The marketplace batch on item {itemId} failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
        }

        return await System.Text.Json.JsonSerializer.DeserializeAsync<MarketplaceItemDocument>(response[1].ResourceStream, Json.WireJson.Options, cancellationToken)
            ?? throw new InvalidOperationException("Cosmos returned an empty item.");
    }

    private static TransactionalBatchItemRequestOptions NoContent() => new() { EnableContentResponseOnWrite = false };

    private static TransactionalBatchPatchItemRequestOptions Condition(string filter) => new() { FilterPredicate = filter, EnableContentResponseOnWrite = false };

    private async Task<bool> TryPatchAsync(string id, PartitionKey key, IReadOnlyList<PatchOperation> operations, string filter, CancellationToken cancellationToken)
    {
        using var response = await _container.PatchItemStreamAsync(id, key, operations, new PatchItemRequestOptions { FilterPredicate = filter }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }
}
