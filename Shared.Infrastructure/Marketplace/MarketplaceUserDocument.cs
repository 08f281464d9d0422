using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// A user's install ("install:{user}") or rating ("rating:{user}") of an item, in the item's partition: the id makes it
/// one per user per item, so creating it is the check that counts an install or a first rating once.
/// </summary>
internal sealed class MarketplaceUserDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("itemId")]
    public string ItemId { get; set; } = "";

    /// <summary>"install" or "rating".</summary>
    public string Type { get; set; } = "";

    public string UserId { get; set; } = "";

    public long UpdatedAtMs { get; set; }

    /// <summary>Install: when first installed.</summary>
    public long? InstalledAtMs { get; set; }

    /// <summary>Install: installed now (false after an uninstall).</summary>
    public bool? Active { get; set; }

    /// <summary>Rating: 1 to 5.</summary>
    public int? Stars { get; set; }

    /// <summary>Rating: plain text as written.</summary>
    public string? Review { get; set; }

    public static string InstallId(string userId) => "install:" + userId;

    public static string RatingId(string userId) => "rating:" + userId;
}
