using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Users;

/// <summary>An erased user's tombstone in <c>lookups</c>: keyed by the pseudonym, with no user id.</summary>
internal sealed class ErasureDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string Type { get; set; } = "erased_user";

    public long ErasedAtMs { get; set; }
}
