using Shared.Domain.Marketplace;

namespace Functions.Api.Marketplace;

/// <summary>
/// An item as the API shows it. <see cref="Installed"/> and <see cref="Purchased"/> are the caller's own (null in search
/// results); <see cref="Purchased"/> is an active entitlement (paid, not refunded). Text fields are data: they are returned
/// exactly as written, in JSON only.
/// </summary>
public sealed record ItemResponse(
    string Id,
    string Title,
    string Description,
    string Kind,
    IReadOnlyList<string> Categories,
    long PriceCents,
    string Currency,
    string? AssetRef,
    CreatorResponse Creator,
    string Status,
    bool Verified,
    long InstallCount,
    long ActiveInstalls,
    long RatingCount,
    double? RatingAverage,
    IReadOnlyDictionary<string, long> RatingHistogram,
    bool? Installed,
    bool? Purchased,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ItemResponse From(ItemView view, bool withCaller = true)
    {
        var item = view.Item;
        return new ItemResponse(
            item.Id,
            item.Details.Title,
            item.Details.Description,
            MarketplaceText.Format(item.Details.Kind),
            item.Details.Categories,
            item.Details.Price.MinorUnits,
            item.Details.Price.Currency,
            item.Details.AssetRef,
            new CreatorResponse(item.CreatorId.Value, view.CreatorDisplayName),
            MarketplaceText.Format(item.Status),
            item.Verified,
            item.InstallCount,
            item.ActiveInstalls,
            item.Ratings.Count,
            item.Ratings.Average,
            Histogram(item.Ratings),
            withCaller ? view.Installed : null,
            withCaller ? view.Purchased : null,
            item.CreatedAt,
            item.UpdatedAt);
    }

    public static IReadOnlyDictionary<string, long> Histogram(RatingSummary summary) =>
        new Dictionary<string, long> { ["1"] = summary.Histogram[0], ["2"] = summary.Histogram[1], ["3"] = summary.Histogram[2], ["4"] = summary.Histogram[3], ["5"] = summary.Histogram[4] };
}
