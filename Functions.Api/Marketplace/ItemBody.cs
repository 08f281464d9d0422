namespace Functions.Api.Marketplace;

/// <summary>The body of <c>POST /marketplace/items</c> and <c>PUT /marketplace/items/{item_id}</c> (a PUT replaces every field).</summary>
public sealed class ItemBody
{
    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? Kind { get; set; }

    public List<string?>? Categories { get; set; }

    public long? PriceCents { get; set; }

    public string? Currency { get; set; }

    /// <summary>Where the item's content or asset is (a URL or the tenant's own reference).</summary>
    public string? AssetRef { get; set; }
}
