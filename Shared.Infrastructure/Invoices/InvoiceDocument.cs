using System.Text.Json.Serialization;
using Shared.Domain.Invoices;

namespace Shared.Infrastructure.Invoices;

/// <summary>An invoice in its tenant's invoice partition ([tenantId, <see cref="CosmosInvoiceStore.PartitionUser"/>] of <c>users</c>).</summary>
internal sealed class InvoiceDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string PartitionUser { get; set; } = CosmosInvoiceStore.PartitionUser;

    public string Type { get; set; } = "invoice";

    public string Number { get; set; } = "";

    public string OwnerUserId { get; set; } = "";

    public string SourceKind { get; set; } = "";

    public string SourceReference { get; set; } = "";

    public string Currency { get; set; } = "";

    public long Net { get; set; }

    public long TaxAmount { get; set; }

    public long Total { get; set; }

    public string? TaxName { get; set; }

    public int TaxRateBp { get; set; }

    public string? SellerTaxId { get; set; }

    public List<InvoiceLine> Lines { get; set; } = [];

    public long IssuedAtMs { get; set; }

    public int Year { get; set; }

    public long Seq { get; set; }

    public string OrderKey { get; set; } = "";

    public static string IdOf(string number) => "invoice-" + number;

    public static InvoiceDocument From(Invoice i) => new()
    {
        Id = IdOf(i.Number),
        TenantId = i.TenantId,
        Number = i.Number,
        OwnerUserId = i.OwnerId,
        SourceKind = InvoiceText.Format(i.SourceKind),
        SourceReference = i.SourceReference,
        Currency = i.Currency,
        Net = i.Net,
        TaxAmount = i.TaxAmount,
        Total = i.Total,
        TaxName = i.TaxName,
        TaxRateBp = i.TaxRateBasisPoints,
        SellerTaxId = i.SellerTaxId,
        Lines = [.. i.Lines],
        IssuedAtMs = i.IssuedAt.ToUnixTimeMilliseconds(),
        Year = i.Year,
        Seq = i.Sequence,
        OrderKey = i.OrderKey,
    };

    public Invoice ToInvoice() => new(
        Number, TenantId, OwnerUserId, InvoiceText.Parse(SourceKind), SourceReference, Currency, Net, TaxAmount, Total,
        TaxName, TaxRateBp, SellerTaxId, Lines, DateTimeOffset.FromUnixTimeMilliseconds(IssuedAtMs), Year, Seq);
}
