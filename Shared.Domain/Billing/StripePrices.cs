namespace Shared.Domain.Billing;

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
