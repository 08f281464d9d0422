using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Privacy;
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
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "usage", [new("usage_log", "usage_record")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Usage);
                services.AddSingleton<IUsageLogStore, CosmosUsageLogStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "usage", [new(CosmosContainers.Usage, "usage_record")]));
                break;
        }

        services.AddSingleton<BufferedUsageLog>();
        services.AddSingleton<IUsageLog>(sp => sp.GetRequiredService<BufferedUsageLog>());
        services.AddHostedService(sp => sp.GetRequiredService<BufferedUsageLog>());
        return services;
    }
}
