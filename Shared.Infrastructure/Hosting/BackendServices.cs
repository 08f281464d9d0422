using System.Data.Common;
using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Shared.Infrastructure.Accounts;
using Shared.Infrastructure.Admin;
using Shared.Infrastructure.Audit;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Campaigns;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.DataSharing;
using Shared.Infrastructure.FeatureRequests;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Jobs;
using Shared.Infrastructure.Marketplace;
using Shared.Infrastructure.Notifications;
using Shared.Infrastructure.Quotas;
using Shared.Infrastructure.Referrals;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Sqlite;
using Shared.Infrastructure.Tenants;
using Shared.Infrastructure.Usage;
using Shared.Infrastructure.Users;
using Shared.Infrastructure.Wallets;

namespace Shared.Infrastructure.Hosting;

/// <summary>Which adapters back the ports. Embedded ones are for local runs and tests and are refused in Production.</summary>
public static class BackendServices
{
    public const string SqliteProvider = "Sqlite";
    public const string CosmosProvider = "Cosmos";

    public static IServiceCollection AddBackend(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache(o => o.SizeLimit = 500_000);
        // Entries expire by the app's clock (the one tests replace), not the machine's: see TimeProviderCacheClock.
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((o, time) => o.Clock = new TimeProviderCacheClock(time));
        services.AddSingleton<StoreOperationCounter>();
        services.AddMetrics();
        services.AddSingleton<Diagnostics.BackendMetrics>();

        var store = configuration["Store:Provider"] switch
        {
            SqliteProvider => StoreProvider.Sqlite,
            CosmosProvider => StoreProvider.Cosmos,
            var other => throw new InvalidOperationException($"Store:Provider must be \"{SqliteProvider}\" or \"{CosmosProvider}\" (was \"{other}\")."),
        };
        var backend = new BackendContext(store, configuration, environment);
        switch (store)
        {
            case StoreProvider.Sqlite:
                backend.RefuseInProduction("Store:Provider=Sqlite (the embedded store)");
                services.AddSqliteDatabase(backend);
                services.AddSingleton<IStoreLifecycle, SqliteLifecycle>();
                break;
            case StoreProvider.Cosmos:
                services.AddSingleton(sp => new CosmosDatabase(backend.Options<CosmosOptions>("Cosmos"), sp.GetRequiredService<StoreOperationCounter>(), sp.GetServices<ContainerSpec>()));
                services.AddSingleton<IStoreLifecycle, CosmosLifecycle>();
                break;
        }

        services.AddSecrets(backend);
        services.AddTokens(backend);
        services.AddJobs(backend);

        // Each feature registers its adapters for the chosen store with the schema they need (SQLite migrations or
        // Cosmos containers, which the store's lifecycle applies or verifies at start-up) and its domain services.
        services.AddTenants(backend);
        services.AddUsers(backend);
        services.AddQuotas(backend);
        services.AddUsage(backend);
        services.AddBilling(backend);
        services.AddFeatureRequests(backend);
        services.AddDataSharing(backend);
        services.AddReferrals(backend);
        services.AddAudit(backend);
        services.AddAdmin(backend);
        services.AddMarketplace(backend);
        services.AddWallets(backend);
        Invoices.InvoicesRegistration.AddInvoices(services, backend);
        Ai.AiProxyRegistration.AddAiProxy(services, backend);
        services.AddCampaigns(backend);
        services.AddAccounts(backend);
        services.AddNotifications(backend);

        // Registered before the web server's own hosted service: start-up waits briefly for the first store check, then
        // the check goes on in the background (see StoreInitializer) and the readiness gate answers 503 until it passes.
        services.AddSingleton(backend.Options<StoreStartupOptions>("Store:Startup").Validate());
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<StoreHealth>();
        services.AddHostedService<StoreInitializer>();
        return services;
    }

    /// <summary>True for failures a retry later may fix (throttling, the store being unreachable for a moment).</summary>
    public static bool IsTransientStoreFailure(Exception exception) => exception switch
    {
        CosmosException c => c.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.Gone,
        DbException { IsTransient: true } => true,
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        HttpRequestException => true,
        _ => false,
    };
}
