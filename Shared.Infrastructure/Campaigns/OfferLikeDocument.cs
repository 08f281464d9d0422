using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Campaigns;

/// <summary>One customer's like of an offer, in the offer's partition; its id (<c>like:{user}</c>) makes it unique.</summary>
internal sealed class OfferLikeDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("offerId")]
    public string OfferId { get; set; } = "";

    public string Type { get; set; } = "offer_like";

    public string UserId { get; set; } = "";

    public static string IdOf(string userId) => "like:" + userId;
}
