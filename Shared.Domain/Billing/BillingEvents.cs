namespace Shared.Domain.Billing;

/// <summary>
/// A Stripe event, reduced to what billing needs and already range-checked: ids of the right shape, timestamps in a sane
/// window, amounts of zero or more with a three-letter currency. Turning Stripe.net's typed events into these happens in
/// one place (Shared.Infrastructure/Stripe/StripeEventMapper).
/// </summary>
public abstract record BillingEvent(string Id, string Type, DateTimeOffset Created, IReadOnlyDictionary<string, string> Metadata);

/// <summary>checkout.session.completed</summary>
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
    Common.Money? AmountTotal) : BillingEvent(Id, "checkout.session.completed", Created, Metadata);

/// <summary>customer.subscription.created / updated / deleted</summary>
public sealed record SubscriptionChanged(
    string Id,
    string Type,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string SubscriptionId,
    string CustomerId,
    string StripeStatus,
    string? PriceId,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset? BillingCycleAnchor,
    bool CancelAtPeriodEnd) : BillingEvent(Id, Type, Created, Metadata)
{
    public bool Deleted => Type == "customer.subscription.deleted";
}

/// <summary>invoice.paid / invoice.payment_succeeded / invoice.payment_failed</summary>
public sealed record InvoiceEvent(
    string Id,
    string Type,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string InvoiceId,
    string CustomerId,
    string? SubscriptionId,
    Common.Money Amount) : BillingEvent(Id, Type, Created, Metadata)
{
    public bool Paid => Type is "invoice.paid" or "invoice.payment_succeeded";
}

/// <summary>charge.refunded: <see cref="AmountRefunded"/> is the charge's cumulative refunded amount.</summary>
public sealed record ChargeRefunded(
    string Id,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string ChargeId,
    string? CustomerId,
    Common.Money AmountRefunded) : BillingEvent(Id, "charge.refunded", Created, Metadata);

/// <summary>Any event type billing does not act on; it is acknowledged and remembered.</summary>
public sealed record OtherEvent(string Id, string Type, DateTimeOffset Created) : BillingEvent(Id, Type, Created, new Dictionary<string, string>());
