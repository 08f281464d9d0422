namespace Functions.Api.Marketplace;

/// <summary>The body of <c>POST /marketplace/items/{item_id}/ratings</c>.</summary>
public sealed class RatingBody
{
    public int? Stars { get; set; }

    public string? Review { get; set; }
}
