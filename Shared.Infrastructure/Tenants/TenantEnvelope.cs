using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Tenants;

internal sealed class TenantEnvelope
{
    public string Id { get; set; } = "tenant";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    public TenantDocument Tenant { get; set; } = new();
}
