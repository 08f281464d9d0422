namespace Shared.Domain.Billing;

/// <summary>
/// A Stripe event, reduced to what billing needs and already range-checked: ids of the right shape, timestamps in a sane
/// window, amounts of zero or more with a three-letter currency. Turning Stripe.net's typed events into these happens in
/// one place (Shared.Infrastructure/Stripe/StripeEventMapper).
/// </summary>
public abstract record BillingEvent(string Id, string Type, DateTimeOffset Created, IReadOnlyDictionary<string, string> Metadata);
