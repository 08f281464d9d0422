using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

internal sealed class InsightDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("day")]
    public string Day { get; set; } = "";

    public string Type { get; set; } = "insight";

    public string Metric { get; set; } = "";

    public string Dimension { get; set; } = "";

    public int Events { get; set; }

    public int Contributors { get; set; }
}
