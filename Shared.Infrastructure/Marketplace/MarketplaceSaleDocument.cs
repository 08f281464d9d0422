using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// A purchase ("purchase:{purchase}"), a buyer's entitlement ("entitlement:{buyer}") or an earnings entry
/// ("earning:{purchase}:sale|reversal") in the item's partition [tenantId, itemId], next to the item: so a purchase's
/// fulfilment or refund is one transactional batch. Fields a type does not use stay null.
/// </summary>
internal sealed class MarketplaceSaleDocument
{
    public const string PurchaseType = "purchase";
    public const string EntitlementType = "entitlement";
    public const string EarningType = "earning";

    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("itemId")]
    public string ItemId { get; set; } = "";

    public string Type { get; set; } = "";

    /// <summary>Purchase, entitlement.</summary>
    public string? BuyerId { get; set; }

    /// <summary>Purchase, earning.</summary>
    public string? CreatorId { get; set; }

    /// <summary>Entitlement (the purchase that granted it), earning.</summary>
    public string? PurchaseId { get; set; }

    /// <summary>Purchase: the price; earning: the signed amount.</summary>
    public long? AmountCents { get; set; }

    public string? Currency { get; set; }

    /// <summary>Purchase.</summary>
    public long? CreatorShareCents { get; set; }

    public string? SessionId { get; set; }

    public long? CompletedAtMs { get; set; }

    public long? RefundedAtMs { get; set; }

    /// <summary>Purchase: the cumulative refunded amount (absent on purchases stored before partial refunds: the price when refunded, else 0).</summary>
    public long? RefundedCents { get; set; }

    /// <summary>Entitlement.</summary>
    public long? GrantedAtMs { get; set; }

    public long? RevokedAtMs { get; set; }

    /// <summary>Earning: "sale" or "reversal".</summary>
    public string? Kind { get; set; }

    /// <summary>Earning: when it was recorded (the ledger's order, with the id).</summary>
    public long? CreatedAtMs { get; set; }

    public static string PurchaseDocId(string purchaseId) => "purchase:" + purchaseId;

    public static string EntitlementDocId(string buyerId) => "entitlement:" + buyerId;

    public static string EarningDocId(string entryId) => "earning:" + entryId;
}
