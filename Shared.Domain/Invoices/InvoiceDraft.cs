namespace Shared.Domain.Invoices;

/// <summary>An invoice before its number: everything but <see cref="Invoice.Number"/>, <see cref="Invoice.Year"/> and <see cref="Invoice.Sequence"/>, which the store allocates.</summary>
public sealed record InvoiceDraft(
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
    DateTimeOffset IssuedAt)
{
    public Invoice Numbered(long sequence) => new(
        Invoice.FormatNumber(IssuedAt.Year, sequence), TenantId, OwnerId, SourceKind, SourceReference, Currency, Net, TaxAmount, Total,
        TaxName, TaxRateBasisPoints, SellerTaxId, Lines, IssuedAt, IssuedAt.Year, sequence);
}
