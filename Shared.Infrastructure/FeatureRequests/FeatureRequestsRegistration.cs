using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Features;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.FeatureRequests;

/// <summary>Feature requests: their store, the AI provider behind them, the handler, the job processor and the sweep.</summary>
public static class FeatureRequestsRegistration
{
    public static IServiceCollection AddFeatureRequests(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(FeatureRequestSqliteMigrations.All);
                services.AddSingleton<IFeatureRequestStore, SqliteFeatureRequestStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IFeatureRequestStore, CosmosFeatureRequestStore>();
                break;
        }

        services.AddSingleton(backend.Options<FeatureOptions>("Features").Validate());
        services.AddSingleton(sp => new FeatureRetryPolicy(sp.GetRequiredService<FeatureOptions>()));
        services.AddAiGeneration(backend.Configuration, backend.Environment);
        services.AddSingleton<FeatureRequestHandler>();
        services.AddSingleton<FeatureJobProcessor>();
        services.AddSingleton<FeatureSweep>();
        return services;
    }
}
