using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Xunit;

namespace Shared.Domain.Tests;

/// <summary>The best-plan rule: which of a user's subscriptions gives their plan.</summary>
public sealed class PlanSelectionTests
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.New();
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly Plan Free = new(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true);
    private static readonly Plan Daily = new(PlanId.Parse("daily"), "Daily", Allowance.PerDay(50), new Money(500, "USD"), new Money(5000, "USD"), []);
    private static readonly Plan Pro = new(PlanId.Parse("pro"), "Pro", Allowance.PerMonth(1000), new Money(999, "USD"), new Money(9999, "USD"), []);
    private static readonly Plan ProPlus = new(PlanId.Parse("proplus"), "Pro+", Allowance.PerMonth(1000), new Money(1299, "USD"), new Money(12999, "USD"), []);
    private static readonly Plan Unlimited = new(PlanId.Parse("unlimited"), "Unlimited", Allowance.Unlimited, new Money(100, "USD"), new Money(1000, "USD"), []);
    private static readonly Tenant Tenant = new(Alpha, "Alpha", [Free, Daily, Pro, ProPlus, Unlimited], "https://alpha.example/u?{link_token}");

    private static Subscription Sub(string id, Plan plan, SubscriptionStatus status = SubscriptionStatus.Active, DateTimeOffset? anchor = null) =>
        new(Alpha, User, id, "cus_1", plan.Id, BillingCycle.Monthly, status, T0, T0.AddMonths(1), false, null, T0, anchor ?? T0);

    [Fact]
    public void Without_a_granting_subscription_the_default_plan_applies()
    {
        var choice = PlanSelection.Best(Tenant, [Sub("sub_a", Pro, SubscriptionStatus.Canceled), Sub("sub_b", Unlimited, SubscriptionStatus.Suspended), Sub("sub_c", Pro, SubscriptionStatus.Incomplete)]);

        Assert.Equal((Free, null), (choice.Plan, choice.Source));
    }

    [Fact]
    public void Unlimited_beats_any_limit_even_at_a_lower_price() =>
        Assert.Equal(Unlimited, PlanSelection.Best(Tenant, [Sub("sub_a", ProPlus), Sub("sub_b", Unlimited)]).Plan);

    [Fact]
    public void A_daily_limit_counts_thirty_one_times_against_a_monthly_one() =>
        Assert.Equal(Daily, PlanSelection.Best(Tenant, [Sub("sub_a", Pro), Sub("sub_b", Daily)]).Plan); // 50 × 31 = 1,550 > 1,000

    [Fact]
    public void At_the_same_limit_the_higher_price_wins() =>
        Assert.Equal(ProPlus, PlanSelection.Best(Tenant, [Sub("sub_z", Pro), Sub("sub_a", ProPlus)]).Plan);

    [Fact]
    public void A_past_due_subscription_still_grants_but_loses_a_tie_to_an_active_one()
    {
        Assert.Equal(Pro, PlanSelection.Best(Tenant, [Sub("sub_a", Pro, SubscriptionStatus.PastDue)]).Plan);
        Assert.Equal("sub_b", PlanSelection.Best(Tenant, [Sub("sub_a", Pro, SubscriptionStatus.PastDue), Sub("sub_b", Pro)]).Source!.StripeSubscriptionId);
    }

    [Fact]
    public void Between_equal_subscriptions_the_one_that_started_first_wins_whatever_the_order()
    {
        var older = Sub("sub_z", Pro, anchor: T0.AddDays(-3));
        var newer = Sub("sub_a", Pro);

        Assert.Equal("sub_z", PlanSelection.Best(Tenant, [older, newer]).Source!.StripeSubscriptionId);
        Assert.Equal("sub_z", PlanSelection.Best(Tenant, [newer, older]).Source!.StripeSubscriptionId);
    }

    [Fact]
    public void A_subscription_to_a_plan_the_tenant_no_longer_has_does_not_count() =>
        Assert.Equal(Pro, PlanSelection.Best(Tenant, [Sub("sub_a", Pro), Sub("sub_b", Pro) with { PlanId = PlanId.Parse("retired") }]).Plan);
}
