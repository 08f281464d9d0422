using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Tenants;

/// <summary>Tenants: their store (schema included) for the chosen provider.</summary>
public static class TenantsRegistration
{
    public static IServiceCollection AddTenants(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(TenantSqliteMigrations.All);
                services.AddSingleton<ITenantStore, SqliteTenantStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Tenants);
                services.AddSingleton<ITenantStore, CosmosTenantStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
