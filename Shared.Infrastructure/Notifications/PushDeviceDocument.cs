using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Notifications;

/// <summary>A registered FCM token in <c>notifications</c>, in its user's partition, under the token's hash (tokens are long and opaque).</summary>
internal sealed class PushDeviceDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "push_device";

    public string FcmToken { get; set; } = "";

    public long RegisteredAtMs { get; set; }
}
