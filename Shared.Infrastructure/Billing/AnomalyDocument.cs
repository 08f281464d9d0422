using System.Text.Json.Serialization;
using Shared.Domain.Billing;

namespace Shared.Infrastructure.Billing;

/// <summary>A billing anomaly as stored (both stores).</summary>
public sealed class AnomalyDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "anomaly";

    public string AnomalyId { get; set; } = "";

    public string Reason { get; set; } = "";

    public List<string> SubscriptionIds { get; set; } = [];

    public long DetectedAtMs { get; set; }

    public string Detail { get; set; } = "";

    public static string IdFor(string anomalyId) => "anomaly:" + anomalyId;

    public static AnomalyDocument From(BillingAnomaly a) => new()
    {
        Id = IdFor(a.Id),
        TenantId = a.TenantId.Value,
        UserId = a.UserId.Value,
        AnomalyId = a.Id,
        Reason = a.Reason,
        SubscriptionIds = [.. a.SubscriptionIds],
        DetectedAtMs = a.DetectedAt.ToUnixTimeMilliseconds(),
        Detail = a.Detail,
    };

    public BillingAnomaly ToAnomaly() => new(
        Domain.Common.TenantId.Parse(TenantId),
        Domain.Common.UserId.Parse(UserId),
        AnomalyId,
        Reason,
        SubscriptionIds,
        DateTimeOffset.FromUnixTimeMilliseconds(DetectedAtMs),
        Detail);
}
