using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.DataSharing;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Data sharing: opt-ins and the anonymous insights (stores for the chosen provider), the handler and the nightly anonymization.</summary>
public static class DataSharingRegistration
{
    public static IServiceCollection AddDataSharing(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(DataSharingSqliteMigrations.All);
                services.AddSingleton<IDataSharingStore, SqliteDataSharingStore>();
                services.AddSingleton<IInsightStore, SqliteInsightStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "data_sharing", [new("data_sharing", "preference")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Insights);
                services.AddSingleton<IDataSharingStore, CosmosDataSharingStore>();
                services.AddSingleton<IInsightStore, CosmosInsightStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "data_sharing", [new(CosmosContainers.Users, "preference", ["data_sharing"])]));
                break;
        }

        services.AddSingleton(backend.Options<AnonymizationOptions>("Anonymization"));
        services.AddSingleton<DataSharingHandler>();
        services.AddSingleton<NightlyAnonymization>();
        return services;
    }
}
