using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>What was sold, as the checkout fixed it: the purchase (our id), item, buyer, creator, price and the platform fee in basis points.</summary>
public sealed record PurchaseTerms(TenantId TenantId, string PurchaseId, string ItemId, UserId BuyerId, UserId CreatorId, Money Price, int FeeBasisPoints)
{
    public long CreatorShareCents => CreatorShare.Of(Price.MinorUnits, FeeBasisPoints);
}
