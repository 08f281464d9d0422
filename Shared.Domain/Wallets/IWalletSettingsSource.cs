using Shared.Domain.Common;

namespace Shared.Domain.Wallets;

/// <summary>Each tenant's <see cref="WalletSettings"/>; null for a tenant without wallets.</summary>
public interface IWalletSettingsSource
{
    WalletSettings? Find(TenantId tenantId);
}
