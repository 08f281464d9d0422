namespace Shared.Domain.Billing;

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
