using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Purchases, entitlements and the creators' earnings ledger. The use case decides; the store reads with versions and
/// applies a <see cref="PurchaseChange"/> all or nothing (SQLite: one transaction; Cosmos: one transactional batch in
/// the item's partition), refusing it when anything changed since the read.
/// </summary>
public interface IMarketplaceSalesStore
{
    Task<PurchaseSnapshot> ReadAsync(TenantId tenantId, string itemId, string purchaseId, UserId buyerId, CancellationToken cancellationToken);

    /// <summary>False when a version no longer matches (or something to create exists): read again and decide again.</summary>
    Task<bool> TryApplyAsync(PurchaseChange change, CancellationToken cancellationToken);

    /// <summary>Every purchase of the item by the buyer (any state, any order).</summary>
    Task<IReadOnlyList<Purchase>> ListPurchasesAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken);

    Task<Entitlement?> GetEntitlementAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken);

    /// <summary>The creator's entries, newest first, after <paramref name="after"/> (exclusive).</summary>
    Task<EarningsPage> ListEarningsAsync(TenantId tenantId, UserId creatorId, int max, EarningsCursor? after, CancellationToken cancellationToken);

    /// <summary>The sum of the creator's entries per currency (sales minus reversals).</summary>
    Task<IReadOnlyDictionary<string, long>> EarningsTotalsAsync(TenantId tenantId, UserId creatorId, CancellationToken cancellationToken);
}
