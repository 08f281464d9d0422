using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Usage;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Usage;

/// <summary>The usage log: its store for the chosen provider and the buffer in front of it.</summary>
public static class UsageRegistration
{
    public static IServiceCollection AddUsage(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(UsageSqliteMigrations.All);
                services.AddSingleton<IUsageLogStore, SqliteUsageLogStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Usage);
                services.AddSingleton<IUsageLogStore, CosmosUsageLogStore>();
                break;
        }

        services.AddSingleton<BufferedUsageLog>();
        services.AddSingleton<IUsageLog>(sp => sp.GetRequiredService<BufferedUsageLog>());
        services.AddHostedService(sp => sp.GetRequiredService<BufferedUsageLog>());
        return services;
    }
}
