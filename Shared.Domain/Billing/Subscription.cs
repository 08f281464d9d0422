using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>
/// One Stripe subscription of a user, as Stripe last described it, stored under its own id (a user may have several:
/// an old canceled one, a lifetime purchase, or two paid in two tabs). <see cref="StripeUpdatedAt"/> is the creation
/// time of the Stripe event that produced this state: an older event about the same subscription never overwrites a
/// newer state, and an event about one subscription never touches another. <see cref="BillingAnchor"/> is where its
/// monthly allowance periods start.
/// <para>
/// Our own changes go through its intent methods (<see cref="StartedByCheckout"/>, <see cref="MarkPastDue"/>,
/// <see cref="Suspend"/>, <see cref="Reactivate"/>, <see cref="CancelAtEndOfPeriod"/>), which refuse a transition the
/// life cycle does not have; the positional constructor describes a state as Stripe (or a store) has it.
/// </para>
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

    /// <summary>
    /// A subscription a completed checkout starts, before (or without) its own Stripe events: active from
    /// <paramref name="at"/> for one billing cycle, or for good when bought for life (Stripe has no subscription then).
    /// </summary>
    public static Subscription StartedByCheckout(TenantId tenantId, UserId userId, string subscriptionId, string customerId, PlanId planId, BillingCycle cycle, DateTimeOffset at)
    {
        var periodEnd = cycle switch
        {
            BillingCycle.Monthly => at.AddMonths(1),
            BillingCycle.Yearly => at.AddYears(1),
            _ => DateTimeOffset.MaxValue,
        };
        return new Subscription(tenantId, userId, subscriptionId, customerId, planId, cycle, SubscriptionStatus.Active, at, periodEnd, false, null, at, at);
    }

    /// <summary>
    /// A payment failed at <paramref name="at"/>: past due, keeping its plan until the grace period ends (one that is
    /// running already is kept, not restarted). A canceled or suspended subscription has nothing to fall behind on.
    /// </summary>
    public Subscription MarkPastDue(TimeSpan grace, DateTimeOffset at)
    {
        Require(Status is not (SubscriptionStatus.Canceled or SubscriptionStatus.Suspended), "marked past due");
        return this with { Status = SubscriptionStatus.PastDue, GraceUntil = GraceUntil ?? at + grace, StripeUpdatedAt = at };
    }

    /// <summary>Past due beyond its grace period: it stops granting its plan until an invoice is paid.</summary>
    public Subscription Suspend()
    {
        Require(Status == SubscriptionStatus.PastDue, "suspended");
        return this with { Status = SubscriptionStatus.Suspended };
    }

    /// <summary>An invoice was paid at <paramref name="at"/>: a past-due or suspended subscription is active again, its grace over.</summary>
    public Subscription Reactivate(DateTimeOffset at)
    {
        Require(Status is SubscriptionStatus.PastDue or SubscriptionStatus.Suspended, "reactivated");
        return this with { Status = SubscriptionStatus.Active, GraceUntil = null, StripeUpdatedAt = at };
    }

    /// <summary>
    /// The subscriber asked to stop at the end of the current period (the provider is told; Stripe's event confirms it).
    /// A lifetime purchase has no period to end: <c>lifetime_not_cancellable</c>.
    /// </summary>
    public Result<Subscription> CancelAtEndOfPeriod() =>
        Cycle == BillingCycle.Lifetime
            ? new Error(ErrorKind.Conflict, "lifetime_not_cancellable", "A lifetime purchase has nothing to cancel; refunds go through support.")
            : this with { CancelAtPeriodEnd = true };

    private void Require(bool allowed, string transition)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"Subscription {StripeSubscriptionId} ({BillingText.Format(Status)}) cannot be {transition}.");
        }
    }
}
