using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Privacy;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Wallets;

/// <summary>Wallets: their store for the chosen provider, their personal data (kept de-identified on erasure) and the use cases.</summary>
public static class WalletsRegistration
{
    public static IServiceCollection AddWallets(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(WalletSqliteMigrations.All);
                services.AddSingleton<IWalletStore, SqliteWalletStore>();
                services.AddSingleton<IPersonalDataStore, SqliteWalletPersonalData>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IWalletStore, CosmosWalletStore>();
                services.AddSingleton<IPersonalDataStore, CosmosWalletPersonalData>();
                break;
        }

        services.AddSingleton<IWalletSettingsSource>(_ => new ConfiguredWalletSettings(backend.Configuration, backend.Environment.ContentRootPath));
        services.AddSingleton<IPaymentCheckoutGateway>(sp => sp.GetRequiredService<IPaymentGateway>() as IPaymentCheckoutGateway
            ?? throw new InvalidOperationException("The payment gateway cannot take one-time payments (IPaymentCheckoutGateway)."));
        services.AddSingleton<WalletService>();
        services.AddSingleton<StartWalletTopUp>();
        services.AddSingleton<ApplyWalletPayment>();
        return services;
    }
}
