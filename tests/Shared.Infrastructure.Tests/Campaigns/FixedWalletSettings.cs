using Shared.Domain.Common;
using Shared.Domain.Wallets;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>Wallets for the tenants given (the demo prices: 10 / 20 / 80 cents), none for the rest.</summary>
public sealed class FixedWalletSettings(params TenantId[] tenants) : IWalletSettingsSource
{
    public static readonly WalletSettings Demo = new("USD", new CampaignPrices(10, 20, 80), 5);

    public WalletSettings? Find(TenantId tenantId) => tenants.Contains(tenantId) ? Demo : null;
}
