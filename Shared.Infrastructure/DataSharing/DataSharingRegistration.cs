using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Data-sharing opt-ins and the anonymous insights, for the chosen provider.</summary>
public static class DataSharingRegistration
{
    public static IServiceCollection AddDataSharing(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(DataSharingSqliteMigrations.All);
                services.AddSingleton<IDataSharingStore, SqliteDataSharingStore>();
                services.AddSingleton<IInsightStore, SqliteInsightStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Insights);
                services.AddSingleton<IDataSharingStore, CosmosDataSharingStore>();
                services.AddSingleton<IInsightStore, CosmosInsightStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
