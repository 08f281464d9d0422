using System.Text.Json.Serialization;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;

namespace Shared.Infrastructure.Marketplace;

/// <summary>An item in its own partition [tenantId, itemId]: the details a creator edits (one object, so an edit is one patch), moderation, counters.</summary>
internal sealed class MarketplaceItemDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("itemId")]
    public string ItemId { get; set; } = "";

    public string Type { get; set; } = "item";

    public string CreatorId { get; set; } = "";

    public DetailsDocument Details { get; set; } = new();

    public string Status { get; set; } = "";

    public bool Verified { get; set; }

    public bool Deleted { get; set; }

    public long? DeletedAtMs { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public long DetailsVersion { get; set; }

    /// <summary>Title and description normalised (<see cref="SearchText.Index"/>): what CONTAINS searches.</summary>
    public string SearchText { get; set; } = "";

    public string TitleText { get; set; } = "";

    public long InstallCount { get; set; }

    public long ActiveInstalls { get; set; }

    public long RatingCount { get; set; }

    public long RatingSum { get; set; }

    // One property per star (not an array) so that a patch increments exactly one path per star.
    public long RatingH1 { get; set; }

    public long RatingH2 { get; set; }

    public long RatingH3 { get; set; }

    public long RatingH4 { get; set; }

    public long RatingH5 { get; set; }

    public long RatingScore { get; set; }

    public static MarketplaceItemDocument From(MarketplaceItem item) => new()
    {
        Id = item.Id,
        TenantId = item.TenantId.Value,
        ItemId = item.Id,
        CreatorId = item.CreatorId.Value,
        Details = DetailsDocument.From(item.Details),
        Status = MarketplaceText.Format(item.Status),
        Verified = item.Verified,
        Deleted = item.IsDeleted,
        DeletedAtMs = item.DeletedAt?.ToUnixTimeMilliseconds(),
        CreatedAtMs = item.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = item.UpdatedAt.ToUnixTimeMilliseconds(),
        DetailsVersion = item.DetailsVersion,
        SearchText = Domain.Marketplace.SearchText.Index(item.Details.Title + " " + item.Details.Description),
        TitleText = Domain.Marketplace.SearchText.Index(item.Details.Title),
        InstallCount = item.InstallCount,
        ActiveInstalls = item.ActiveInstalls,
        RatingCount = item.Ratings.Count,
        RatingSum = item.Ratings.Sum,
        RatingH1 = item.Ratings.Histogram[0],
        RatingH2 = item.Ratings.Histogram[1],
        RatingH3 = item.Ratings.Histogram[2],
        RatingH4 = item.Ratings.Histogram[3],
        RatingH5 = item.Ratings.Histogram[4],
        RatingScore = item.Ratings.Score,
    };

    public RatingSummary Summary => new(RatingCount, RatingSum, [RatingH1, RatingH2, RatingH3, RatingH4, RatingH5]);

    public MarketplaceItem ToItem() => new()
    {
        Id = Id,
        TenantId = Domain.Common.TenantId.Parse(TenantId),
        CreatorId = UserId.Parse(CreatorId),
        Details = Details.ToDetails(),
        Status = MarketplaceText.ParseStatus(Status),
        Verified = Verified,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
        DeletedAt = DeletedAtMs is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null,
        DetailsVersion = DetailsVersion,
        InstallCount = InstallCount,
        ActiveInstalls = ActiveInstalls,
        Ratings = Summary,
    };

    internal sealed class DetailsDocument
    {
        public string Title { get; set; } = "";

        public string Description { get; set; } = "";

        public string Kind { get; set; } = "";

        public List<string> Categories { get; set; } = [];

        public long PriceCents { get; set; }

        public string Currency { get; set; } = "";

        public string? AssetRef { get; set; }

        public static DetailsDocument From(ItemDetails details) => new()
        {
            Title = details.Title,
            Description = details.Description,
            Kind = MarketplaceText.Format(details.Kind),
            Categories = [.. details.Categories],
            PriceCents = details.Price.MinorUnits,
            Currency = details.Price.Currency,
            AssetRef = details.AssetRef,
        };

        public ItemDetails ToDetails() => new(Title, Description, MarketplaceText.ParseKind(Kind), Categories, new Money(PriceCents, Currency), AssetRef);
    }
}
