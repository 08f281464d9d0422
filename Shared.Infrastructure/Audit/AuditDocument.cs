using System.Text.Json.Serialization;
using Shared.Domain.Audit;

namespace Shared.Infrastructure.Audit;

/// <summary>
/// One audit entry in the <c>audit</c> container, partitioned by [tenantId, month] so a tenant's log never makes one
/// logical partition grow without bound; the id is the sort key (time then random), unique within the partition.
/// </summary>
internal sealed class AuditDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("month")]
    public string Month { get; set; } = "";

    public string Action { get; set; } = "";

    public string? ActorId { get; set; }

    public string? TargetId { get; set; }

    public long AtMs { get; set; }

    public string? Address { get; set; }

    public string? CorrelationId { get; set; }

    public Dictionary<string, string>? Details { get; set; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; set; }

    public AuditEntry ToEntry() => new(
        Domain.Common.TenantId.Parse(TenantId),
        Action,
        ActorId,
        TargetId,
        DateTimeOffset.FromUnixTimeMilliseconds(AtMs),
        Address,
        CorrelationId,
        Details);
}
