using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Usage;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Usage;

/// <summary>The usage log's store for the chosen provider.</summary>
public static class UsageRegistration
{
    public static IServiceCollection AddUsage(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(UsageSqliteMigrations.All);
                services.AddSingleton<IUsageLogStore, SqliteUsageLogStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Usage);
                services.AddSingleton<IUsageLogStore, CosmosUsageLogStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
