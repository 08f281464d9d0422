using System.Globalization;
using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The metadata an item purchase carries on its Checkout session and its payment (so the charge's refund events name
/// it too): everything the webhook needs to fulfil or reverse it without reading the item again, frozen at checkout
/// (a later price or fee change does not alter a sale already paid).
/// </summary>
public static class MarketplacePayments
{
    public const string PurposeKey = "purpose";
    public const string Purpose = "marketplace_purchase";
    public const string PurchaseKey = "purchase_id";
    public const string ItemKey = "item_id";
    public const string CreatorKey = "creator_id";
    public const string PriceKey = "price_cents";
    public const string CurrencyKey = "currency";
    public const string FeeKey = "platform_fee_bp";

    public static bool IsPurchase(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(PurposeKey, out var purpose) && purpose == Purpose;

    public static Dictionary<string, string> Metadata(TenantId tenantId, UserId buyer, string purchaseId, MarketplaceItem item, int feeBasisPoints) => new(StringComparer.Ordinal)
    {
        ["tenant_id"] = tenantId.Value,
        ["user_id"] = buyer.Value,
        [PurposeKey] = Purpose,
        [PurchaseKey] = purchaseId,
        [ItemKey] = item.Id,
        [CreatorKey] = item.CreatorId.Value,
        [PriceKey] = item.Details.Price.MinorUnits.ToString(CultureInfo.InvariantCulture),
        [CurrencyKey] = item.Details.Price.Currency,
        [FeeKey] = feeBasisPoints.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The sale a purchase's metadata describes; false when any part is missing or malformed.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> metadata, TenantId tenantId, out PurchaseTerms terms)
    {
        terms = null!;
        if (!metadata.TryGetValue("user_id", out var buyer) || !UserId.TryParse(buyer, out var buyerId)
            || !metadata.TryGetValue(PurchaseKey, out var purchaseId) || !MarketplaceErrors.IsItemId(purchaseId)
            || !metadata.TryGetValue(ItemKey, out var itemId) || !MarketplaceErrors.IsItemId(itemId)
            || !metadata.TryGetValue(CreatorKey, out var creator) || !UserId.TryParse(creator, out var creatorId)
            || !metadata.TryGetValue(PriceKey, out var priceText) || !long.TryParse(priceText, NumberStyles.None, CultureInfo.InvariantCulture, out var price) || price is <= 0 or > ItemDetailsRules.PriceMax
            || !metadata.TryGetValue(CurrencyKey, out var currency) || currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper)
            || !metadata.TryGetValue(FeeKey, out var feeText) || !int.TryParse(feeText, NumberStyles.None, CultureInfo.InvariantCulture, out var fee) || fee > CreatorShare.FullBasisPoints)
        {
            return false;
        }

        terms = new PurchaseTerms(tenantId, purchaseId, itemId, buyerId.Value, creatorId.Value, new Money(price, currency), fee);
        return true;
    }
}
