namespace Shared.Domain.Billing;

/// <summary>
/// checkout.session.completed, or (<see cref="EventType"/>) checkout.session.async_payment_succeeded/_failed: the same
/// session object, sent when a delayed payment method (bank debit, voucher) finally succeeds or fails.
/// </summary>
public sealed record CheckoutCompleted(
    string Id,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string SessionId,
    string Mode,
    string? CustomerId,
    string? SubscriptionId,
    string? ClientReferenceId,
    string? PaymentStatus,
    Common.Money? AmountTotal,
    string EventType = CheckoutCompleted.Completed) : BillingEvent(Id, EventType, Created, Metadata)
{
    public const string Completed = "checkout.session.completed";
    public const string AsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string AsyncPaymentFailed = "checkout.session.async_payment_failed";
}
