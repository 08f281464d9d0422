namespace Functions.Api.Campaigns;

/// <summary>The body of <c>POST /offers</c> and <c>PUT /offers/{offer_id}</c> (a PUT replaces every field).</summary>
public sealed class OfferBody
{
    public string? Title { get; set; }

    public string? Description { get; set; }

    public int? DiscountPercent { get; set; }

    public List<string?>? PinCodes { get; set; }

    public DateTimeOffset? ValidFrom { get; set; }

    public DateTimeOffset? ValidUntil { get; set; }
}
