using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Tenants;

public sealed class PlanDocument
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Uses per period; null means unlimited.</summary>
    public int? HitsLimit { get; set; }

    /// <summary>"day" (00:00 UTC) or "month" (on the billing anchor).</summary>
    public string ResetPeriod { get; set; } = "day";

    public long PriceMonthlyCents { get; set; }

    public long PriceYearlyCents { get; set; }

    public string Currency { get; set; } = "USD";

    public List<string> Features { get; set; } = [];

    public bool Default { get; set; }

    public string? StripePriceIdMonthly { get; set; }

    public string? StripePriceIdYearly { get; set; }

    public long PriceLifetimeCents { get; set; }

    public string? StripePriceIdLifetime { get; set; }

    public static PlanDocument From(Plan plan) => new()
    {
        Id = plan.Id.Value,
        Name = plan.Name,
        HitsLimit = plan.Allowance.Limit,
        ResetPeriod = ResetPeriodText.Format(plan.Allowance.Period),
        PriceMonthlyCents = plan.PriceMonthly.MinorUnits,
        PriceYearlyCents = plan.PriceYearly.MinorUnits,
        Currency = plan.PriceMonthly.Currency,
        Features = [.. plan.Features],
        Default = plan.IsDefault,
        StripePriceIdMonthly = plan.StripePrices.Monthly,
        StripePriceIdYearly = plan.StripePrices.Yearly,
        PriceLifetimeCents = plan.PriceLifetime.MinorUnits,
        StripePriceIdLifetime = plan.StripePrices.Lifetime,
    };

    public Plan ToPlan()
    {
        var period = ResetPeriodText.Parse(ResetPeriod);
        return new Plan(
            PlanId.Parse(Id),
            Name,
            new Allowance(HitsLimit, period),
            new Money(PriceMonthlyCents, Currency),
            new Money(PriceYearlyCents, Currency),
            Features,
            Default,
            new StripePrices(StripePriceIdMonthly, StripePriceIdYearly, StripePriceIdLifetime),
            new Money(PriceLifetimeCents, Currency));
    }
}
