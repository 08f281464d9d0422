namespace Shared.Domain.Admin;

/// <summary><c>POST /admin/refunds</c> as received: <see cref="AmountMinor"/> null refunds what is left of the payment.</summary>
public sealed record RefundCommand(string? PaymentId, long? AmountMinor, string? Reason, string? IdempotencyKey);
