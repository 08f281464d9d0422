namespace Functions.Api.Marketplace;

/// <summary>The optional body of <c>POST /marketplace/items/{item_id}/purchase</c>: redirect URLs on the tenant's own hosts (absent: the tenant's).</summary>
public sealed class PurchaseBody
{
    public string? SuccessUrl { get; set; }

    public string? CancelUrl { get; set; }
}
