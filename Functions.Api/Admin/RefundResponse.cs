using Shared.Domain.Admin;

namespace Functions.Api.Admin;

/// <summary>The refund the provider made (the same answer for every repeat of the request).</summary>
public sealed record RefundResponse(string RefundId, string PaymentId, long? AmountCents, string Reason, DateTimeOffset CreatedAt)
{
    public static RefundResponse From(AdminRefund r) => new(r.RefundId!, r.PaymentId, r.AmountMinor, r.Reason, r.CreatedAt);
}
