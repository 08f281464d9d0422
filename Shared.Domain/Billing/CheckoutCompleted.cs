namespace Shared.Domain.Billing;

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
