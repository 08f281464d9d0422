using Shared.Domain.Common;

namespace Shared.Domain.Billing;

public enum BillingCycle
{
    Monthly,
    Yearly,

    /// <summary>Paid once (Stripe Checkout in payment mode); the plan is kept for good.</summary>
    Lifetime,
}

public enum SubscriptionStatus
{
    Active,
    PastDue,
    Canceled,
    Incomplete,

    /// <summary>Past due beyond the grace period: the user is back on the free plan until an invoice is paid.</summary>
    Suspended,
}

public static class BillingText
{
    public static string Format(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => "monthly",
        BillingCycle.Yearly => "yearly",
        _ => "lifetime",
    };

    public static bool TryParseCycle(string? text, out BillingCycle cycle)
    {
        (var ok, cycle) = text switch
        {
            "monthly" => (true, BillingCycle.Monthly),
            "yearly" => (true, BillingCycle.Yearly),
            "lifetime" => (true, BillingCycle.Lifetime),
            _ => (false, BillingCycle.Monthly),
        };
        return ok;
    }

    public static string Format(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.PastDue => "past_due",
        SubscriptionStatus.Canceled => "canceled",
        SubscriptionStatus.Incomplete => "incomplete",
        SubscriptionStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static SubscriptionStatus ParseStatus(string text) => text switch
    {
        "active" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "canceled" => SubscriptionStatus.Canceled,
        "incomplete" => SubscriptionStatus.Incomplete,
        "suspended" => SubscriptionStatus.Suspended,
        _ => throw new FormatException($"Unknown subscription status '{text}'."),
    };
}

/// <summary>The Stripe prices a plan is sold at; a free plan has none.</summary>
public sealed record StripePrices(string? Monthly, string? Yearly, string? Lifetime = null)
{
    public static readonly StripePrices None = new(null, null);

    public string? For(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => Monthly,
        BillingCycle.Yearly => Yearly,
        _ => Lifetime,
    };
}

/// <summary>
/// One Stripe subscription of a user, as Stripe last described it, stored under its own id (a user may have several:
/// an old canceled one, a lifetime purchase, or two paid in two tabs). <see cref="StripeUpdatedAt"/> is the creation
/// time of the Stripe event that produced this state: an older event about the same subscription never overwrites a
/// newer state, and an event about one subscription never touches another. <see cref="BillingAnchor"/> is where its
/// monthly allowance periods start.
/// </summary>
public sealed record Subscription(
    TenantId TenantId,
    UserId UserId,
    string StripeSubscriptionId,
    string StripeCustomerId,
    PlanId PlanId,
    BillingCycle Cycle,
    SubscriptionStatus Status,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? GraceUntil,
    DateTimeOffset StripeUpdatedAt,
    DateTimeOffset BillingAnchor)
{
    /// <summary>Whether it grants its plan now: active, or past due within the grace period (suspended, canceled and incomplete do not).</summary>
    public bool GrantsPlan => Status is SubscriptionStatus.Active or SubscriptionStatus.PastDue;
}

/// <summary>Money received (or refunded) for a subscription, in integer minor units.</summary>
public sealed record PaymentRecord(TenantId TenantId, UserId UserId, string Id, string? StripeSubscriptionId, Money Amount, string Status, DateTimeOffset At);
