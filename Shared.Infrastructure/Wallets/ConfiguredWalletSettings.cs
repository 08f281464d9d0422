using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Shared.Domain.Common;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// Each tenant's wallet settings, read from the tenants file (<c>Tenants:File</c>) beside the tenant's other fields:
/// <c>wallet_currency</c>, <c>campaign_prices_cents: {in_app, push, whatsapp}</c> and <c>credit_price_cents</c>
/// (optional). A tenant without <c>wallet_currency</c> has no wallets. Kept apart from the tenant record so that wallets
/// change no tenant store; invalid values fail start-up with the tenant's id.
/// </summary>
public sealed class ConfiguredWalletSettings : IWalletSettingsSource
{
    private readonly Dictionary<string, WalletSettings> _byTenant = new(StringComparer.Ordinal);

    public ConfiguredWalletSettings(IConfiguration configuration, string contentRoot)
    {
        var path = configuration["Tenants:File"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
        var file = JsonSerializer.Deserialize<TenantsFile>(File.ReadAllText(fullPath), WireJson.Options);
        foreach (var tenant in file?.Tenants ?? [])
        {
            if (tenant.WalletCurrency is null)
            {
                continue;
            }

            var prices = tenant.CampaignPricesCents ?? new PricesEntry();
            if (tenant.WalletCurrency.Length != 3 || !tenant.WalletCurrency.All(char.IsAsciiLetterUpper)
                || prices.InApp < 0 || prices.Push < 0 || prices.Whatsapp < 0 || tenant.CreditPriceCents is <= 0)
            {
                throw new FormatException($"Tenant '{tenant.Id}': wallet_currency must be an ISO 4217 code (e.g. USD), campaign prices zero or more, credit_price_cents more than zero.");
            }

            _byTenant[tenant.Id] = new WalletSettings(tenant.WalletCurrency, new CampaignPrices(prices.InApp, prices.Push, prices.Whatsapp), tenant.CreditPriceCents);
        }
    }

    public WalletSettings? Find(TenantId tenantId) => _byTenant.GetValueOrDefault(tenantId.Value);

    private sealed class TenantsFile
    {
        public List<TenantEntry> Tenants { get; set; } = [];
    }

    private sealed class TenantEntry
    {
        public string Id { get; set; } = "";

        public string? WalletCurrency { get; set; }

        public PricesEntry? CampaignPricesCents { get; set; }

        public long? CreditPriceCents { get; set; }
    }

    private sealed class PricesEntry
    {
        public long InApp { get; set; }

        public long Push { get; set; }

        public long Whatsapp { get; set; }
    }
}
