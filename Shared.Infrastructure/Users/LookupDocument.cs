using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Users;

internal sealed class LookupDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string UserId { get; set; } = "";

    /// <summary>Written by earlier versions (and still by the billing customer index); nothing reads it.</summary>
    public bool EmailSettled { get; set; }

    public long CreatedAtMs { get; set; }
}
