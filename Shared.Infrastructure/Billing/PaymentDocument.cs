using System.Text.Json.Serialization;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Billing;

public sealed class PaymentDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "payment";

    public string PaymentId { get; set; } = "";

    public string? StripeSubscriptionId { get; set; }

    public long AmountMinor { get; set; }

    public string Currency { get; set; } = "";

    public string Status { get; set; } = "";

    public long AtMs { get; set; }

    public static string IdFor(string paymentId) => "payment:" + paymentId;

    public static PaymentDocument From(PaymentRecord p) => new()
    {
        Id = IdFor(p.Id),
        TenantId = p.TenantId.Value,
        UserId = p.UserId.Value,
        PaymentId = p.Id,
        StripeSubscriptionId = p.StripeSubscriptionId,
        AmountMinor = p.Amount.MinorUnits,
        Currency = p.Amount.Currency,
        Status = p.Status,
        AtMs = p.At.ToUnixTimeMilliseconds(),
    };

    public PaymentRecord ToPayment() => new(
        Domain.Common.TenantId.Parse(TenantId),
        Domain.Common.UserId.Parse(UserId),
        PaymentId,
        StripeSubscriptionId,
        new Money(AmountMinor, Currency),
        Status,
        DateTimeOffset.FromUnixTimeMilliseconds(AtMs));
}
