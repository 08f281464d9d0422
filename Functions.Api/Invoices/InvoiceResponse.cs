using Shared.Domain.Invoices;

namespace Functions.Api.Invoices;

/// <summary>An invoice as answered: amounts in minor units (<c>total_cents</c> = <c>net_cents</c> + <c>tax_cents</c>); the tax fields are null/0 for a tenant without tax.</summary>
public sealed record InvoiceResponse(
    string Number,
    string SourceKind,
    string SourceReference,
    string Currency,
    long NetCents,
    long TaxCents,
    long TotalCents,
    string? TaxName,
    int TaxRateBasisPoints,
    string? SellerTaxId,
    IReadOnlyList<InvoiceLineResponse> Lines,
    DateTimeOffset IssuedAt)
{
    public static InvoiceResponse From(Invoice i) => new(
        i.Number, InvoiceText.Format(i.SourceKind), i.SourceReference, i.Currency, i.Net, i.TaxAmount, i.Total, i.TaxName, i.TaxRateBasisPoints, i.SellerTaxId,
        [.. i.Lines.Select(l => new InvoiceLineResponse(l.Description, l.Quantity, l.UnitAmount, l.Amount))], i.IssuedAt);
}
