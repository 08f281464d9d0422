using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

/// <summary>A tenant's release of one day in the insights container (partition [tenantId, day]): the ledger entry and the exported bytes.</summary>
internal sealed class DataSharingReleaseDocument
{
    public string Id { get; set; } = CosmosDataSharingReleaseStore.ReleaseId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("day")]
    public string Day { get; set; } = "";

    public string Type { get; set; } = CosmosDataSharingReleaseStore.ReleaseType;

    public string ReleaseId { get; set; } = "";

    /// <summary>Decimal as invariant text: exact, whatever the JSON number handling of a reader.</summary>
    public string Epsilon { get; set; } = "";

    public string Delta { get; set; } = "";

    public int Rows { get; set; }

    public string Blob { get; set; } = "";

    public byte[] RowsFile { get; set; } = [];

    public byte[] ManifestFile { get; set; } = [];

    public long CreatedAtMs { get; set; }

    public long? ExportedAtMs { get; set; }
}
