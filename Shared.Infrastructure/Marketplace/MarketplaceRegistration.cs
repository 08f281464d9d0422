using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Marketplace;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Marketplace;

/// <summary>The marketplace: its store for the chosen provider, its personal data and its use cases.</summary>
public static class MarketplaceRegistration
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(MarketplaceSqliteMigrations.All);
                services.AddSingleton<IMarketplaceStore, SqliteMarketplaceStore>();
                // A user's installs and ratings (reviews) are theirs: exported and erased with them. The items' counters
                // keep counting them as anonymous aggregates. Items a creator published are exported to the creator but
                // kept: users installed them.
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(
                    sp.GetRequiredService<SqliteDatabase>(),
                    "marketplace",
                    [new("marketplace_installs", "install"), new("marketplace_ratings", "rating"), new("marketplace_items", "published_item", "creator_id", ErasedWithUser: false)]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Marketplace);
                services.AddSingleton<IMarketplaceStore, CosmosMarketplaceStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(
                    sp.GetRequiredService<CosmosDatabase>(),
                    "marketplace",
                    [
                        new(CosmosContainers.Marketplace, "install", ["install"], UserField: "user_id"),
                        new(CosmosContainers.Marketplace, "rating", ["rating"], UserField: "user_id"),
                        new(CosmosContainers.Marketplace, "published_item", ["item"], UserField: "creator_id", ErasedWithUser: false),
                    ]));
                break;
        }

        services.AddSingleton(backend.Options<MarketplaceOptions>("Marketplace"));
        services.AddSingleton<MarketplaceCatalog>();
        services.AddSingleton<MarketplaceSearch>();
        services.AddSingleton<MarketplaceInstalls>();
        return services;
    }
}
