namespace Shared.Domain.Invoices;

/// <summary>
/// An issued invoice. <see cref="Number"/> is <c>INV-{year}-{sequence:000000}</c>, gapless per tenant and year;
/// <see cref="OrderKey"/> sorts a tenant's invoices by issue (year then sequence, fixed width). Amounts are minor units
/// of <see cref="Currency"/>: <see cref="Total"/> = <see cref="Net"/> + <see cref="TaxAmount"/>. <see cref="OwnerId"/> is
/// the user it was issued to, or an <c>erased-…</c> pseudonym after their erasure (invoices are kept for the law).
/// </summary>
public sealed record Invoice(
    string Number,
    string TenantId,
    string OwnerId,
    InvoiceSourceKind SourceKind,
    string SourceReference,
    string Currency,
    long Net,
    long TaxAmount,
    long Total,
    string? TaxName,
    int TaxRateBasisPoints,
    string? SellerTaxId,
    IReadOnlyList<InvoiceLine> Lines,
    DateTimeOffset IssuedAt,
    int Year,
    long Sequence)
{
    public string OrderKey => FormatOrderKey(Year, Sequence);

    public static string FormatNumber(int year, long sequence) => $"INV-{year:D4}-{sequence:D6}";

    public static string FormatOrderKey(int year, long sequence) => $"{year:D4}{sequence:D12}";
}
