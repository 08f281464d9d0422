using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Features;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.FeatureRequests;

/// <summary>Feature requests' store for the chosen provider.</summary>
public static class FeatureRequestsRegistration
{
    public static IServiceCollection AddFeatureRequests(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(FeatureRequestSqliteMigrations.All);
                services.AddSingleton<IFeatureRequestStore, SqliteFeatureRequestStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IFeatureRequestStore, CosmosFeatureRequestStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
