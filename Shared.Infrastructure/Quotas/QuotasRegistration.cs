using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Identify;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Quotas;

/// <summary>Quota accounts, the usage archive written with their resets, the quota query and the reset sweep.</summary>
public static class QuotasRegistration
{
    public static IServiceCollection AddQuotas(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(QuotaSqliteMigrations.All);
                services.AddSingleton<IQuotaStore, SqliteQuotaStore>();
                services.AddSingleton<IUsageArchive, SqliteUsageArchive>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IQuotaStore, CosmosQuotaStore>();
                services.AddSingleton<IUsageArchive, CosmosUsageArchive>();
                break;
        }

        services.AddSingleton<QuotaQueryHandler>();
        services.AddSingleton<QuotaResetSweep>();
        return services;
    }
}
