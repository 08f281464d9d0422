using Shared.Domain.Campaigns;

namespace Functions.Api.Campaigns;

/// <summary>An offer as clients see it (the shopkeeper's id is not shown to customers).</summary>
public sealed record OfferResponse(string Id, string Title, string? Description, int DiscountPercent, IReadOnlyList<string> PinCodes, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, long LikeCount)
{
    public static OfferResponse From(Offer o) => new(o.Id, o.Title, o.Description, o.DiscountPercent, o.PinCodes, o.ValidFrom, o.ValidUntil, o.LikeCount);
}
