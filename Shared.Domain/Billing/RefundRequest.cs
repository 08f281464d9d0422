using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>
/// A refund of a payment (a Stripe payment intent <c>pi_…</c> or charge <c>ch_…</c>/<c>py_…</c>); <see cref="AmountMinor"/>
/// null refunds what is left. The admin refund endpoint builds on this.
/// </summary>
public sealed record RefundRequest(TenantId TenantId, string PaymentId, long? AmountMinor, string IdempotencyKey);
