using System.Text.Json.Serialization;
using Shared.Domain.Admin;

namespace Shared.Infrastructure.Admin;

/// <summary>An admin refund in <c>lookups</c>, keyed by [tenantId, "refund:" + hash of the idempotency key].</summary>
internal sealed class AdminRefundDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string Type { get; set; } = "admin_refund";

    public string IdempotencyKey { get; set; } = "";

    public string Fingerprint { get; set; } = "";

    public string PaymentId { get; set; } = "";

    public long? AmountMinor { get; set; }

    public string Reason { get; set; } = "";

    public long CreatedAtMs { get; set; }

    public string? RefundId { get; set; }

    public static AdminRefundDocument From(AdminRefund r, string lookupKey) => new()
    {
        Id = lookupKey,
        TenantId = r.TenantId.Value,
        LookupKey = lookupKey,
        IdempotencyKey = r.IdempotencyKey,
        Fingerprint = r.Fingerprint,
        PaymentId = r.PaymentId,
        AmountMinor = r.AmountMinor,
        Reason = r.Reason,
        CreatedAtMs = r.CreatedAt.ToUnixTimeMilliseconds(),
        RefundId = r.RefundId,
    };

    public AdminRefund ToRefund() =>
        new(Domain.Common.TenantId.Parse(TenantId), IdempotencyKey, Fingerprint, PaymentId, AmountMinor, Reason, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), RefundId);
}
