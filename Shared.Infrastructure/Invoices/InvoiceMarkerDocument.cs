using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// In the tenant's invoice partition: the counter of a year's sequence (<c>invoice_sequence</c>, <see cref="Last"/>)
/// or the mark that a source was invoiced (<c>invoice_source</c>, <see cref="Number"/>; its id derives from the source,
/// so a second one cannot be created).
/// </summary>
internal sealed class InvoiceMarkerDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string PartitionUser { get; set; } = CosmosInvoiceStore.PartitionUser;

    public string Type { get; set; } = "";

    public long Last { get; set; }

    public string? Number { get; set; }
}
