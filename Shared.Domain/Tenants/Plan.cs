using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Tenants;

/// <summary>
/// A plan a tenant sells. What a subscriber may use (the <see cref="Allowance"/>) is independent of how
/// often they pay: a yearly Pro subscriber still gets 1,000 uses a month.
/// </summary>
public sealed record Plan
{
    public Plan(PlanId id, string name, Allowance allowance, Money priceMonthly, Money priceYearly, IReadOnlyList<string> features, bool isDefault = false, StripePrices? stripePrices = null, Money? priceLifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (priceMonthly.Currency != priceYearly.Currency)
        {
            throw new ArgumentException("Monthly and yearly prices must share a currency.", nameof(priceYearly));
        }

        Id = id;
        Name = name;
        Allowance = allowance;
        PriceMonthly = priceMonthly;
        PriceYearly = priceYearly;
        Features = features;
        IsDefault = isDefault;
        StripePrices = stripePrices ?? StripePrices.None;
        PriceLifetime = priceLifetime ?? new Money(0, priceMonthly.Currency);
        if (PriceLifetime.Currency != priceMonthly.Currency)
        {
            throw new ArgumentException("Lifetime and monthly prices must share a currency.", nameof(priceLifetime));
        }
    }

    /// <summary>The one-time price, for plans also sold for life (AskDunzo's lifetime premium).</summary>
    public Money PriceLifetime { get; }

    public PlanId Id { get; }

    public string Name { get; }

    public Allowance Allowance { get; }

    public Money PriceMonthly { get; }

    public Money PriceYearly { get; }

    public IReadOnlyList<string> Features { get; }

    /// <summary>The plan every new user starts on (the tenant's free plan).</summary>
    public bool IsDefault { get; }

    /// <summary>The Stripe price per billing cycle; a plan without one for a cycle is not sold in that cycle.</summary>
    public StripePrices StripePrices { get; }

    public Money PriceFor(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => PriceMonthly,
        BillingCycle.Yearly => PriceYearly,
        _ => PriceLifetime,
    };
}
