using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// The best-plan rule: a user's plan is derived from all their subscriptions, never from the last event. Only
/// subscriptions that grant a plan now count (active, or past due within grace); among them the best wins:
/// <list type="number">
/// <item>an unlimited plan beats any limited one;</item>
/// <item>then the higher limit, compared per month (a daily limit counts 31 times);</item>
/// <item>then the higher price (monthly, then yearly, then lifetime, in minor units);</item>
/// <item>then an active subscription beats a past-due one;</item>
/// <item>then the one whose allowance started first (so a duplicate never moves the user's period), then the subscription id.</item>
/// </list>
/// A subscription whose plan the tenant no longer has does not count. With none left, the tenant's default plan applies.
/// </summary>
public static class PlanSelection
{
    public static PlanChoice Best(Tenant tenant, IEnumerable<Subscription> subscriptions)
    {
        PlanChoice? best = null;
        foreach (var subscription in subscriptions)
        {
            if (!subscription.GrantsPlan || tenant.FindPlan(subscription.PlanId) is not { } plan)
            {
                continue;
            }

            var candidate = new PlanChoice(plan, subscription);
            if (best is null || Compare(candidate, best) < 0)
            {
                best = candidate;
            }
        }

        return best ?? new PlanChoice(tenant.DefaultPlan, null);
    }

    /// <summary>Negative when <paramref name="a"/> is the better choice.</summary>
    private static int Compare(PlanChoice a, PlanChoice b)
    {
        int order;
        if ((order = b.Plan.Allowance.IsUnlimited.CompareTo(a.Plan.Allowance.IsUnlimited)) != 0
            || (order = MonthlyUses(b.Plan.Allowance).CompareTo(MonthlyUses(a.Plan.Allowance))) != 0
            || (order = b.Plan.PriceMonthly.MinorUnits.CompareTo(a.Plan.PriceMonthly.MinorUnits)) != 0
            || (order = b.Plan.PriceYearly.MinorUnits.CompareTo(a.Plan.PriceYearly.MinorUnits)) != 0
            || (order = b.Plan.PriceLifetime.MinorUnits.CompareTo(a.Plan.PriceLifetime.MinorUnits)) != 0
            || (order = (a.Source!.Status == SubscriptionStatus.Active ? 0 : 1).CompareTo(b.Source!.Status == SubscriptionStatus.Active ? 0 : 1)) != 0
            || (order = a.Source.BillingAnchor.CompareTo(b.Source.BillingAnchor)) != 0)
        {
            return order;
        }

        return string.CompareOrdinal(a.Source.StripeSubscriptionId, b.Source.StripeSubscriptionId);
    }

    private static long MonthlyUses(Allowance allowance) =>
        allowance.Limit is not { } limit ? long.MaxValue : allowance.Period == ResetPeriod.Day ? limit * 31L : limit;
}
