using System.ComponentModel.DataAnnotations;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Tenants;

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

    /// <summary>The tenant's first admins: accounts whose verified email is listed are admins (README, "Roles").</summary>
    public List<string> AdminEmails { get; set; } = [];
    /// <summary>The tenant's marketplace rules; absent: not auto-published, creators only, the default categories.</summary>
    public Shared.Infrastructure.Marketplace.MarketplaceSettingsDocument? Marketplace { get; set; }
    /// <summary>A proven phone number creates a user on first sight (POST /auth/otp/verify); absent: false.</summary>
    public bool PhoneSignup { get; set; }

    public static TenantDocument From(Tenant tenant) => new()
    {
        Id = tenant.Id.Value,
        Name = tenant.Name,
        UpgradeUrl = tenant.UpgradeUrlTemplate,
        CheckoutSuccessUrl = tenant.CheckoutSuccessUrl,
        CheckoutCancelUrl = tenant.CheckoutCancelUrl,
        AllowedOrigins = [.. tenant.AllowedOrigins],
        IdentityProvider = tenant.IdentityProvider is { } provider ? IdentityProviderDocument.From(provider) : null,
        AdminEmails = [.. tenant.AdminEmails.Select(e => e.Value).Order(StringComparer.Ordinal)],
        Plans = [.. tenant.Plans.Select(PlanDocument.From)],
        Marketplace = Shared.Infrastructure.Marketplace.MarketplaceSettingsDocument.From(tenant.Marketplace),
        PhoneSignup = tenant.AllowsPhoneSignup,
    };

    public Tenant ToTenant() => new(TenantId.Parse(Id), Name, [.. Plans.Select(p => p.ToPlan())], UpgradeUrl, CheckoutSuccessUrl, CheckoutCancelUrl, AllowedOrigins, IdentityProvider?.ToIdentityProvider(), AdminEmails)
    {
        Marketplace = Marketplace?.ToSettings(Id) ?? MarketplaceSettings.Default,
        AllowsPhoneSignup = PhoneSignup,
    };
}
