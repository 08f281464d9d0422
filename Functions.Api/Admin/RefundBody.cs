namespace Functions.Api.Admin;

/// <summary><c>POST /admin/refunds</c>: <c>amount_cents</c> absent refunds what is left of the payment.</summary>
public sealed record RefundBody(string? PaymentId, long? AmountCents, string? Reason);
