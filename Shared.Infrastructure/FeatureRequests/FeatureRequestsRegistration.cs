using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Features;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.FeatureRequests;

/// <summary>Feature requests: their store, the AI provider behind them, the use cases, the job processor and the sweep.</summary>
public static class FeatureRequestsRegistration
{
    public static IServiceCollection AddFeatureRequests(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(FeatureRequestSqliteMigrations.All);
                services.AddSingleton<IFeatureRequestStore, SqliteFeatureRequestStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "feature_requests", [new("feature_requests", "feature_request")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IFeatureRequestStore, CosmosFeatureRequestStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "feature_requests", [new(CosmosContainers.Users, "feature_request", ["feature_request"])]));
                break;
        }

        services.AddSingleton(backend.Options<FeatureOptions>("Features").Validate());
        services.AddSingleton(sp => new FeatureRetryPolicy(sp.GetRequiredService<FeatureOptions>()));
        services.AddAiGeneration(backend.Configuration, backend.Environment);
        services.AddSingleton<SubmitFeatureRequest>();
        services.AddSingleton<ReserveFeatureRequest>();
        services.AddSingleton<SendFeatureJob>();
        services.AddSingleton<FailFeatureRequest>();
        services.AddSingleton<GetFeatureRequest>();
        services.AddSingleton<ListFeatureRequests>();
        services.AddSingleton<FeatureJobProcessor>();
        services.AddSingleton<FeatureSweep>();
        return services;
    }
}
