using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Quotas;

/// <summary>Quota accounts and the usage archive written with their resets, for the chosen provider.</summary>
public static class QuotasRegistration
{
    public static IServiceCollection AddQuotas(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
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
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
