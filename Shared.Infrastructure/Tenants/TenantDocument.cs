using System.ComponentModel.DataAnnotations;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Tenants;

/// <summary>A tenant as configured (tenants file, configuration) and as stored: snake_case JSON.</summary>
public sealed class TenantDocument
{
    [Required]
    public string Id { get; set; } = "";

    [Required]
    public string Name { get; set; } = "";

    /// <summary>Absolute URL; <c>{link_token}</c> is replaced by a short-lived signed upgrade-link token.</summary>
    [Required]
    public string UpgradeUrl { get; set; } = "";

    public List<PlanDocument> Plans { get; set; } = [];

    public string? CheckoutSuccessUrl { get; set; }

    public string? CheckoutCancelUrl { get; set; }

    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Whose ID tokens prove emails (identify's <c>id_token</c>); absent: no installation joins an existing user.</summary>
    public IdentityProviderDocument? IdentityProvider { get; set; }

    public static TenantDocument From(Tenant tenant) => new()
    {
        Id = tenant.Id.Value,
        Name = tenant.Name,
        UpgradeUrl = tenant.UpgradeUrlTemplate,
        CheckoutSuccessUrl = tenant.CheckoutSuccessUrl,
        CheckoutCancelUrl = tenant.CheckoutCancelUrl,
        AllowedOrigins = [.. tenant.AllowedOrigins],
        IdentityProvider = tenant.IdentityProvider is { } provider ? IdentityProviderDocument.From(provider) : null,
        Plans = [.. tenant.Plans.Select(PlanDocument.From)],
    };

    public Tenant ToTenant() => new(TenantId.Parse(Id), Name, [.. Plans.Select(p => p.ToPlan())], UpgradeUrl, CheckoutSuccessUrl, CheckoutCancelUrl, AllowedOrigins, IdentityProvider?.ToIdentityProvider());
}

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
