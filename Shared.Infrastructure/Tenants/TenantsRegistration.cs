using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Tenants;

/// <summary>Tenants: their store (schema included) for the chosen provider, the cached directory, the configured tenants.</summary>
public static class TenantsRegistration
{
    public static IServiceCollection AddTenants(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(TenantSqliteMigrations.All);
                services.AddSingleton<ITenantStore, SqliteTenantStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Tenants);
                services.AddSingleton<ITenantStore, CosmosTenantStore>();
                break;
        }

        services.AddSingleton<ITenantDirectory, CachingTenantDirectory>();
        services.AddSingleton(_ => new ConfiguredTenants(TenantCatalog.Load(backend.Configuration, backend.Environment.ContentRootPath)));
        return services;
    }
}
