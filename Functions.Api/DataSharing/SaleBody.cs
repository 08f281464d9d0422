namespace Functions.Api.DataSharing;

/// <summary>The body of <c>POST /admin/data-sharing/sales</c>: the release sold (<c>day</c> or <c>release_id</c>), the amount in minor units, its currency and the sale's unique reference.</summary>
public sealed class SaleBody
{
    public string? Day { get; set; }

    public string? ReleaseId { get; set; }

    public long? AmountCents { get; set; }

    public string? Currency { get; set; }

    public string? Reference { get; set; }
}
