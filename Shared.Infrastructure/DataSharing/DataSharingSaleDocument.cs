using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

/// <summary>A recorded sale in the insights container, one partition per tenant and reference ([tenantId, "sale:{reference}"]), so create-if-absent makes a reference unique.</summary>
internal sealed class DataSharingSaleDocument
{
    public string Id { get; set; } = CosmosDataSharingSaleStore.SaleId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    /// <summary>The second partition-key level ("sale:{reference}").</summary>
    [JsonPropertyName("day")]
    public string Key { get; set; } = "";

    public string Type { get; set; } = CosmosDataSharingSaleStore.SaleType;

    public string Reference { get; set; } = "";

    public string ReleaseDay { get; set; } = "";

    public long AmountCents { get; set; }

    public string Currency { get; set; } = "";

    public long RecordedAtMs { get; set; }

    /// <summary>The contributors counted when the sale was first recorded (see DataSharingSale.Contributors).</summary>
    public int Contributors { get; set; }
}
