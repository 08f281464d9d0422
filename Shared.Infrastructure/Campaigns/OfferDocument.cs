using System.Text.Json.Serialization;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Campaigns;

/// <summary>An offer in its partition [tenantId, offerId] of <c>offers</c> (its likes are <c>like:{user}</c> documents beside it).</summary>
internal sealed class OfferDocument
{
    public const string DocumentId = "offer";

    public string Id { get; set; } = DocumentId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("offerId")]
    public string OfferId { get; set; } = "";

    public string Type { get; set; } = "offer";

    public string ShopkeeperId { get; set; } = "";

    public string Title { get; set; } = "";

    public string? Description { get; set; }

    public int DiscountPercent { get; set; }

    public List<string> PinCodes { get; set; } = [];

    public long ValidFromMs { get; set; }

    public long ValidUntilMs { get; set; }

    public long LikeCount { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public static OfferDocument From(Offer o) => new()
    {
        TenantId = o.TenantId.Value,
        OfferId = o.Id,
        ShopkeeperId = o.ShopkeeperId.Value,
        Title = o.Title,
        Description = o.Description,
        DiscountPercent = o.DiscountPercent,
        PinCodes = [.. o.PinCodes],
        ValidFromMs = o.ValidFrom.ToUnixTimeMilliseconds(),
        ValidUntilMs = o.ValidUntil.ToUnixTimeMilliseconds(),
        LikeCount = o.LikeCount,
        CreatedAtMs = o.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = o.UpdatedAt.ToUnixTimeMilliseconds(),
    };

    public Offer ToOffer() => new(
        OfferId,
        Domain.Common.TenantId.Parse(TenantId),
        UserId.Parse(ShopkeeperId),
        Title,
        Description,
        DiscountPercent,
        PinCodes,
        DateTimeOffset.FromUnixTimeMilliseconds(ValidFromMs),
        DateTimeOffset.FromUnixTimeMilliseconds(ValidUntilMs),
        LikeCount,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs));
}
