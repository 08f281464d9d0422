using Shared.Domain.Billing;
using Shared.Domain.Common;
using Xunit;

namespace Shared.Domain.Tests;

/// <summary>A subscription's own changes through its intent methods, and the transitions it refuses.</summary>
public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.New();
    private static readonly TimeSpan Grace = TimeSpan.FromDays(3);

    private static Subscription Sub(SubscriptionStatus status, BillingCycle cycle = BillingCycle.Monthly, DateTimeOffset? graceUntil = null) =>
        new(Alpha, User, "sub_1", "cus_1", PlanId.Parse("pro"), cycle, status, T0, T0.AddMonths(1), false, graceUntil, T0, T0);

    [Theory]
    [InlineData(BillingCycle.Monthly, 2026, 12, 23)]
    [InlineData(BillingCycle.Yearly, 2027, 11, 23)]
    public void A_checkout_starts_an_active_subscription_for_one_cycle(BillingCycle cycle, int year, int month, int day)
    {
        var started = Subscription.StartedByCheckout(Alpha, User, "sub_1", "cus_1", PlanId.Parse("pro"), cycle, T0);

        Assert.Equal(SubscriptionStatus.Active, started.Status);
        Assert.Equal(T0, started.CurrentPeriodStart);
        Assert.Equal(new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero), started.CurrentPeriodEnd);
        Assert.Equal(T0, started.StripeUpdatedAt);
        Assert.Equal(T0, started.BillingAnchor);
        Assert.False(started.CancelAtPeriodEnd);
        Assert.Null(started.GraceUntil);
    }

    [Fact]
    public void A_lifetime_purchase_never_ends()
    {
        var started = Subscription.StartedByCheckout(Alpha, User, "lifetime_cs_1", "cus_1", PlanId.Parse("pro"), BillingCycle.Lifetime, T0);
        Assert.Equal(DateTimeOffset.MaxValue, started.CurrentPeriodEnd);
        Assert.True(started.GrantsPlan);
    }

    [Fact]
    public void A_failed_payment_starts_the_grace_period_once_and_keeps_the_plan_meanwhile()
    {
        var pastDue = Sub(SubscriptionStatus.Active).MarkPastDue(Grace, T0.AddDays(1));

        Assert.Equal(SubscriptionStatus.PastDue, pastDue.Status);
        Assert.Equal(T0.AddDays(4), pastDue.GraceUntil);
        Assert.Equal(T0.AddDays(1), pastDue.StripeUpdatedAt);
        Assert.True(pastDue.GrantsPlan);

        var again = pastDue.MarkPastDue(Grace, T0.AddDays(2));
        Assert.Equal(T0.AddDays(4), again.GraceUntil); // a running grace period is kept, not restarted
        Assert.Equal(T0.AddDays(2), again.StripeUpdatedAt);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Canceled)]
    [InlineData(SubscriptionStatus.Suspended)]
    public void A_canceled_or_suspended_subscription_is_not_marked_past_due(SubscriptionStatus status) =>
        Assert.Throws<InvalidOperationException>(() => Sub(status).MarkPastDue(Grace, T0));

    [Fact]
    public void Only_a_past_due_subscription_is_suspended_and_then_grants_nothing()
    {
        var suspended = Sub(SubscriptionStatus.PastDue, graceUntil: T0.AddDays(3)).Suspend();

        Assert.Equal(SubscriptionStatus.Suspended, suspended.Status);
        Assert.False(suspended.GrantsPlan);
        Assert.Equal(T0, suspended.StripeUpdatedAt); // our own change, not a Stripe event
        Assert.Throws<InvalidOperationException>(() => Sub(SubscriptionStatus.Active).Suspend());
        Assert.Throws<InvalidOperationException>(() => suspended.Suspend());
    }

    [Theory]
    [InlineData(SubscriptionStatus.PastDue)]
    [InlineData(SubscriptionStatus.Suspended)]
    public void A_paid_invoice_reactivates_a_past_due_or_suspended_subscription(SubscriptionStatus status)
    {
        var active = Sub(status, graceUntil: T0.AddDays(3)).Reactivate(T0.AddDays(5));

        Assert.Equal(SubscriptionStatus.Active, active.Status);
        Assert.Null(active.GraceUntil);
        Assert.Equal(T0.AddDays(5), active.StripeUpdatedAt);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Active)]
    [InlineData(SubscriptionStatus.Canceled)]
    [InlineData(SubscriptionStatus.Incomplete)]
    public void Only_a_past_due_or_suspended_subscription_is_reactivated(SubscriptionStatus status) =>
        Assert.Throws<InvalidOperationException>(() => Sub(status).Reactivate(T0));

    [Fact]
    public void Cancelling_at_period_end_keeps_the_status_and_a_lifetime_purchase_is_refused()
    {
        var cancelled = Sub(SubscriptionStatus.Active).CancelAtEndOfPeriod();
        Assert.True(cancelled.IsSuccess);
        Assert.True(cancelled.Value.CancelAtPeriodEnd);
        Assert.Equal(SubscriptionStatus.Active, cancelled.Value.Status);

        var lifetime = Sub(SubscriptionStatus.Active, BillingCycle.Lifetime).CancelAtEndOfPeriod();
        Assert.False(lifetime.IsSuccess);
        Assert.Equal("lifetime_not_cancellable", lifetime.Error!.Code);
        Assert.Equal(ErrorKind.Conflict, lifetime.Error.Kind);
    }
}
