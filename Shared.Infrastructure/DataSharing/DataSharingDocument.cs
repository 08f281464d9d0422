using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

internal sealed class DataSharingDocument
{
    public string Id { get; set; } = "data_sharing";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "data_sharing";

    public bool OptIn { get; set; }

    public int ProfitSplit { get; set; }

    public long UpdatedAtMs { get; set; }
}
