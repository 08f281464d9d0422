using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// Purchases, entitlements and earnings in Cosmos DB, in the item's partition [tenantId, itemId] of container
/// <c>marketplace</c>: a purchase's change (purchase, entitlement, earnings entries) is one TransactionalBatch there,
/// conditioned on the ETags read (create when there was nothing), so it is applied whole or not at all and a concurrent
/// delivery of the same event makes the other fail (412/409) and decide again. A creator's ledger is a query over the
/// tenant's partitions (prefix [tenantId]) ordered by the composite index (created_at_ms, id); the totals read the
/// creator's entries' amounts (projection) and add them up per currency.
/// </summary>
public sealed class CosmosMarketplaceSalesStore(CosmosDatabase db) : IMarketplaceSalesStore
{
    private readonly Container _container = db.Container(CosmosContainers.Marketplace);

    public async Task<PurchaseSnapshot> ReadAsync(TenantId tenantId, string itemId, string purchaseId, UserId buyerId, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, itemId);
        var (purchase, purchaseTag) = await _container.ReadAsync<MarketplaceSaleDocument>(MarketplaceSaleDocument.PurchaseDocId(purchaseId), key, cancellationToken);
        var (entitlement, entitlementTag) = await _container.ReadAsync<MarketplaceSaleDocument>(MarketplaceSaleDocument.EntitlementDocId(buyerId.Value), key, cancellationToken);
        return new PurchaseSnapshot(
            purchase is null ? null : ToPurchase(purchase, tenantId),
            purchase is null ? null : purchaseTag,
            entitlement is null ? null : ToEntitlement(entitlement, tenantId),
            entitlement is null ? null : entitlementTag);
    }

    public async Task<bool> TryApplyAsync(PurchaseChange change, CancellationToken cancellationToken)
    {
        var p = change.Purchase;
        var batch = _container.CreateTransactionalBatch(Key(p.TenantId, p.ItemId));
        Write(batch, FromPurchase(p), change.ExpectedPurchaseVersion);
        if (change.Entitlement is { } e)
        {
            Write(batch, FromEntitlement(e), change.ExpectedEntitlementVersion);
        }

        foreach (var entry in change.Earnings)
        {
            batch.CreateItemStream(CosmosStreams.Serialize(FromEntry(entry)), new TransactionalBatchItemRequestOptions { EnableContentResponseOnWrite = false });
        }

        using var response = await batch.ExecuteAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false; // someone changed (or created) a document since the read: nothing of this batch was applied
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CosmosException($"The purchase batch failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
        }

        return true;
    }

    public async Task<IReadOnlyList<Purchase>> ListPurchasesAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'purchase' AND c.buyer_id = @buyer").WithParameter("@buyer", buyerId.Value);
        var purchases = new List<Purchase>();
        using var iterator = _container.GetItemQueryIterator<MarketplaceSaleDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = Key(tenantId, itemId) });
        while (iterator.HasMoreResults)
        {
            purchases.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => ToPurchase(d, tenantId)));
        }

        return purchases;
    }

    public async Task<Entitlement?> GetEntitlementAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _container.ReadAsync<MarketplaceSaleDocument>(MarketplaceSaleDocument.EntitlementDocId(buyerId.Value), Key(tenantId, itemId), cancellationToken);
        return doc is { Type: MarketplaceSaleDocument.EntitlementType } ? ToEntitlement(doc, tenantId) : null;
    }

    public async Task<EarningsPage> ListEarningsAsync(TenantId tenantId, UserId creatorId, int max, EarningsCursor? after, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                "SELECT TOP @max * FROM c WHERE c.type = 'earning' AND c.creator_id = @creator "
                + "AND (c.created_at_ms < @at OR (c.created_at_ms = @at AND c.id < @after)) ORDER BY c.created_at_ms DESC, c.id DESC")
            .WithParameter("@max", max + 1)
            .WithParameter("@creator", creatorId.Value)
            .WithParameter("@at", after?.CreatedAtMs ?? long.MaxValue)
            .WithParameter("@after", after is null ? "\uffff" : MarketplaceSaleDocument.EarningDocId(after.EntryId));
        var items = new List<EarningsEntry>();
        using var iterator = _container.GetItemQueryIterator<MarketplaceSaleDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build(), MaxItemCount = max + 1 });
        while (iterator.HasMoreResults && items.Count <= max)
        {
            items.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => ToEntry(d, tenantId)));
        }

        if (items.Count <= max)
        {
            return new EarningsPage(items, null);
        }

        items.RemoveRange(max, items.Count - max);
        var last = items[^1];
        return new EarningsPage(items, new EarningsCursor(last.CreatedAt.ToUnixTimeMilliseconds(), last.Id));
    }

    public async Task<IReadOnlyDictionary<string, long>> EarningsTotalsAsync(TenantId tenantId, UserId creatorId, CancellationToken cancellationToken)
    {
        // A projection of two fields per entry, added up here: no cross-partition GROUP BY (its support differs between
        // the service and the emulators); the cost grows with the creator's entries (see the README).
        var query = new QueryDefinition("SELECT c.currency, c.amount_cents FROM c WHERE c.type = 'earning' AND c.creator_id = @creator")
            .WithParameter("@creator", creatorId.Value);
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var iterator = _container.GetItemQueryIterator<MarketplaceSaleDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            foreach (var d in await iterator.ReadNextAsync(cancellationToken))
            {
                totals[d.Currency!] = checked(totals.GetValueOrDefault(d.Currency!) + d.AmountCents!.Value);
            }
        }

        return new Dictionary<string, long>(totals, StringComparer.Ordinal);
    }

    /// <summary>Serialized as every stored document is (snake_case, <see cref="CosmosStreams.Serialize"/>); the streams live until the batch is sent.</summary>
    private static void Write(TransactionalBatch batch, MarketplaceSaleDocument doc, string? expectedETag)
    {
        var options = new TransactionalBatchItemRequestOptions { EnableContentResponseOnWrite = false };
        if (expectedETag is null)
        {
            batch.CreateItemStream(CosmosStreams.Serialize(doc), options);
        }
        else
        {
            options.IfMatchEtag = expectedETag;
            batch.ReplaceItemStream(doc.Id, CosmosStreams.Serialize(doc), options);
        }
    }

    private static PartitionKey Key(TenantId tenantId, string itemId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(itemId).Build();

    private static MarketplaceSaleDocument FromPurchase(Purchase p) => new()
    {
        Id = MarketplaceSaleDocument.PurchaseDocId(p.Id),
        TenantId = p.TenantId.Value,
        ItemId = p.ItemId,
        Type = MarketplaceSaleDocument.PurchaseType,
        BuyerId = p.BuyerId.Value,
        CreatorId = p.CreatorId.Value,
        PurchaseId = p.Id,
        AmountCents = p.Price.MinorUnits,
        Currency = p.Price.Currency,
        CreatorShareCents = p.CreatorShareCents,
        SessionId = p.SessionId,
        CompletedAtMs = p.CompletedAt?.ToUnixTimeMilliseconds(),
        RefundedAtMs = p.RefundedAt?.ToUnixTimeMilliseconds(),
        RefundedCents = p.RefundedCents,
    };

    private static Purchase ToPurchase(MarketplaceSaleDocument d, TenantId tenantId) => new(
        tenantId,
        d.PurchaseId!,
        d.ItemId,
        UserId.Parse(d.BuyerId!),
        UserId.Parse(d.CreatorId!),
        new Money(d.AmountCents!.Value, d.Currency!),
        d.CreatorShareCents!.Value,
        d.SessionId,
        At(d.CompletedAtMs),
        At(d.RefundedAtMs),
        d.RefundedCents ?? (d.RefundedAtMs is null ? 0 : d.AmountCents!.Value));

    private static MarketplaceSaleDocument FromEntitlement(Entitlement e) => new()
    {
        Id = MarketplaceSaleDocument.EntitlementDocId(e.BuyerId.Value),
        TenantId = e.TenantId.Value,
        ItemId = e.ItemId,
        Type = MarketplaceSaleDocument.EntitlementType,
        BuyerId = e.BuyerId.Value,
        PurchaseId = e.PurchaseId,
        GrantedAtMs = e.GrantedAt.ToUnixTimeMilliseconds(),
        RevokedAtMs = e.RevokedAt?.ToUnixTimeMilliseconds(),
    };

    private static Entitlement ToEntitlement(MarketplaceSaleDocument d, TenantId tenantId) =>
        new(tenantId, d.ItemId, UserId.Parse(d.BuyerId!), d.PurchaseId!, At(d.GrantedAtMs)!.Value, At(d.RevokedAtMs));

    private static MarketplaceSaleDocument FromEntry(EarningsEntry e) => new()
    {
        Id = MarketplaceSaleDocument.EarningDocId(e.Id),
        TenantId = e.TenantId.Value,
        ItemId = e.ItemId,
        Type = MarketplaceSaleDocument.EarningType,
        CreatorId = e.CreatorId.Value,
        PurchaseId = e.PurchaseId,
        AmountCents = e.AmountCents,
        Currency = e.Currency,
        Kind = MarketplaceText.Format(e.Kind),
        CreatedAtMs = e.CreatedAt.ToUnixTimeMilliseconds(),
    };

    private static EarningsEntry ToEntry(MarketplaceSaleDocument d, TenantId tenantId) =>
        new(tenantId, d.PurchaseId!, MarketplaceText.ParseEarningsKind(d.Kind!), UserId.Parse(d.CreatorId!), d.ItemId, d.AmountCents!.Value, d.Currency!, At(d.CreatedAtMs)!.Value, EarningsEntry.RefundedThroughOf(d.Id));

    private static DateTimeOffset? At(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
