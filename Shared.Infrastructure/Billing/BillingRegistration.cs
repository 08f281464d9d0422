using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Billing;

/// <summary>Billing's store (customers, subscriptions, payments, webhook events, anomalies) for the chosen provider.</summary>
public static class BillingRegistration
{
    public static IServiceCollection AddBilling(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(BillingSqliteMigrations.All);
                services.AddSingleton<IBillingStore, SqliteBillingStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Billing, CosmosContainers.Lookups);
                services.AddSingleton<IBillingStore, CosmosBillingStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
