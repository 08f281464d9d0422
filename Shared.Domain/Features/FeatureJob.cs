using System.Text.Json;
using System.Text.Json.Serialization;
using Shared.Domain.Common;

namespace Shared.Domain.Features;

/// <summary>The queue message for a feature request: only ids. The worker reads everything else from the stored request.</summary>
public sealed record FeatureJob(TenantId TenantId, UserId UserId, string RequestId)
{
    public string ToJson() => JsonSerializer.Serialize(new Wire { TenantId = TenantId.Value, UserId = UserId.Value, RequestId = RequestId });

    public static bool TryParse(string? json, out FeatureJob? job)
    {
        job = null;
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(json);
            if (wire is null || !TenantId.TryParse(wire.TenantId, out var tenant) || !UserId.TryParse(wire.UserId, out var user) || !FeatureRequest.IsWellFormedId(wire.RequestId))
            {
                return false;
            }

            job = new FeatureJob(tenant.Value, user.Value, wire.RequestId!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class Wire
    {
        [JsonPropertyName("tenant_id")]
        public string? TenantId { get; set; }

        [JsonPropertyName("user_id")]
        public string? UserId { get; set; }

        [JsonPropertyName("request_id")]
        public string? RequestId { get; set; }
    }
}
