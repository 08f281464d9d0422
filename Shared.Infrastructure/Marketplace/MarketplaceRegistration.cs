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
                services.AddSqliteMigrations(MarketplaceSalesSqliteMigrations.All);
                services.AddSingleton<SqliteCatalogIndexes>();
                services.AddSingleton<IMarketplaceStore, SqliteMarketplaceStore>();
                services.AddSingleton<IMarketplaceSalesStore, SqliteMarketplaceSalesStore>();
                // A user's installs and ratings (reviews) are theirs: exported and erased with them. The items' counters
                // keep counting them as anonymous aggregates. Items a creator published are exported to the creator but
                // kept: users installed them. Entitlements are the buyer's and go with them; purchases (buyer's and
                // creator's side) and earnings entries are payment records, kept de-identified: a replayed webhook must
                // still find its purchase done, and the ledger must still add up.
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(
                    sp.GetRequiredService<SqliteDatabase>(),
                    "marketplace",
                    [
                        new("marketplace_installs", "install"),
                        new("marketplace_ratings", "rating"),
                        new("marketplace_items", "published_item", "creator_id", ErasedWithUser: false),
                        new("marketplace_entitlements", "entitlement", "buyer_id"),
                        new("marketplace_purchases", "purchase", "buyer_id", ErasedWithUser: false),
                        new("marketplace_purchases", "sale", "creator_id", ErasedWithUser: false),
                        new("marketplace_earnings", "earning", "creator_id", ErasedWithUser: false),
                    ]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Marketplace);
                services.AddSingleton<IMarketplaceStore, CosmosMarketplaceStore>();
                services.AddSingleton<IMarketplaceSalesStore, CosmosMarketplaceSalesStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(
                    sp.GetRequiredService<CosmosDatabase>(),
                    "marketplace",
                    [
                        new(CosmosContainers.Marketplace, "install", ["install"], UserField: "user_id"),
                        new(CosmosContainers.Marketplace, "rating", ["rating"], UserField: "user_id"),
                        new(CosmosContainers.Marketplace, "published_item", ["item"], UserField: "creator_id", ErasedWithUser: false),
                        new(CosmosContainers.Marketplace, "entitlement", ["entitlement"], UserField: "buyer_id"),
                        new(CosmosContainers.Marketplace, "purchase", ["purchase"], UserField: "buyer_id", ErasedWithUser: false),
                        new(CosmosContainers.Marketplace, "sale", ["purchase"], UserField: "creator_id", ErasedWithUser: false),
                        new(CosmosContainers.Marketplace, "earning", ["earning"], UserField: "creator_id", ErasedWithUser: false),
                    ]));
                break;
        }

        services.AddSingleton(backend.Options<MarketplaceOptions>("Marketplace").Validate());
        services.AddSingleton<MarketplaceCatalog>();
        services.AddSingleton<MarketplaceSearch>();
        services.AddSingleton<MarketplaceListings>();
        services.AddSingleton<MarketplaceInstalls>();
        services.AddSingleton<StartItemPurchase>();
        services.AddSingleton<ApplyMarketplacePurchase>();
        services.AddSingleton<CreatorEarnings>();
        return services;
    }
}
