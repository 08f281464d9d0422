using System.Data.Common;
using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Billing;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Identify;
using Shared.Domain.Identity;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.DataSharing;
using Shared.Infrastructure.FeatureRequests;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Jobs;
using Shared.Infrastructure.Quotas;
using Shared.Infrastructure.Referrals;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.ServiceBus;
using Shared.Infrastructure.Sqlite;
using Shared.Infrastructure.Stripe;
using Shared.Infrastructure.Tenants;
using Shared.Infrastructure.Usage;
using Shared.Infrastructure.Users;

namespace Shared.Infrastructure.Hosting;

/// <summary>Which adapters back the ports. Embedded ones are for local runs and tests and are refused in Production.</summary>
public static class BackendServices
{
    public const string SqliteProvider = "Sqlite";
    public const string CosmosProvider = "Cosmos";
    public const string StripeProvider = "Stripe";
    public const string SandboxProvider = "Sandbox";
    public const string ServiceBusProvider = "ServiceBus";
    public const string EmbeddedQueueProvider = "Embedded";

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
        switch (store)
        {
            case StoreProvider.Sqlite:
                RefuseInProduction(environment, "Store:Provider=Sqlite (the embedded store)");
                AddSqliteDatabase(services, configuration, environment);
                services.AddSingleton<IStoreLifecycle, SqliteLifecycle>();
                break;
            case StoreProvider.Cosmos:
                services.AddSingleton(sp => new CosmosDatabase(configuration.GetSection("Cosmos").Get<CosmosOptions>() ?? new CosmosOptions(), sp.GetRequiredService<StoreOperationCounter>(), sp.GetServices<ContainerSpec>()));
                services.AddSingleton<IStoreLifecycle, CosmosLifecycle>();
                break;
        }

        // Each feature registers its adapters for the chosen store, with the schema they need (SQLite migrations or
        // Cosmos containers), which the store's lifecycle applies or verifies at start-up.
        services.AddTenants(store);
        services.AddUsers(store);
        services.AddQuotas(store);
        services.AddUsage(store);
        services.AddBilling(store);
        services.AddFeatureRequests(store);
        services.AddDataSharing(store);
        services.AddReferrals(store);

        services.AddSingleton<IUserDirectory>(sp => new CachingUserDirectory(sp.GetRequiredService<Func<IUserDirectory>>()(), sp.GetRequiredService<IMemoryCache>()));
        services.AddSingleton<ITenantDirectory, CachingTenantDirectory>();

        var secrets = configuration["Secrets:Provider"] ?? "Configuration";
        switch (secrets)
        {
            case "Configuration":
                RefuseInProduction(environment, "Secrets:Provider=Configuration (local secrets)");
                services.AddSingleton<ISecretProvider, ConfigurationSecretProvider>();
                break;
            case "KeyVault":
                var vault = configuration["KeyVault:Uri"] ?? throw new InvalidOperationException("KeyVault:Uri is required when Secrets:Provider=KeyVault.");
                services.AddSingleton<ISecretProvider>(sp => new KeyVaultSecretProvider(new Uri(vault), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(10)));
                break;
            default:
                throw new InvalidOperationException($"Secrets:Provider must be \"Configuration\" or \"KeyVault\" (was \"{secrets}\").");
        }

        services.AddSingleton(configuration.GetSection("Tokens").Get<TokenOptions>() ?? new TokenOptions());
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton(sp => new JwtAccessTokens(sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<TokenOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAccessTokenIssuer>(sp => sp.GetRequiredService<JwtAccessTokens>());
        services.AddSingleton<AccessTokenKeySource>();
        services.AddSingleton<UpgradeLinkTokens>();
        services.AddSingleton<IUpgradeLinkIssuer>(sp => sp.GetRequiredService<UpgradeLinkTokens>());
        // Identify's id_token: the tenant's OpenID Connect issuer (discovery document and JWKS, cached per metadata URL).
        services.AddHttpClient(OidcIdTokenVerifier.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IIdTokenVerifier, OidcIdTokenVerifier>();

        services.AddSingleton<BufferedUsageLog>();
        services.AddSingleton<IUsageLog>(sp => sp.GetRequiredService<BufferedUsageLog>());
        services.AddHostedService(sp => sp.GetRequiredService<BufferedUsageLog>());

        services.AddSingleton(configuration.GetSection("RateLimits:NewInstallations").Get<InstallationLimitOptions>() ?? new InstallationLimitOptions());
        services.AddSingleton<IInstallationGate, RateLimitedInstallationGate>();

        services.AddSingleton(configuration.GetSection("Billing").Get<BillingOptions>() ?? new BillingOptions());
        var payments = configuration["Payments:Provider"] ?? (environment.IsProduction() ? StripeProvider : SandboxProvider);
        switch (payments)
        {
            case StripeProvider:
                var stripe = configuration.GetSection("Stripe").Get<StripeOptions>() ?? new StripeOptions();
                services.AddSingleton(stripe);

                // Stripe.net keeps one StripeClient (and its HttpClient) per key for the app's lifetime, so the pooled
                // connections are recycled by the handler instead of by IHttpClientFactory's handler rotation.
                services.AddHttpClient(StripeGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(stripe.TimeoutSeconds))
                    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
                    .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
                services.AddSingleton<IPaymentGateway, StripeGateway>();
                break;
            case SandboxProvider:
                RefuseInProduction(environment, "Payments:Provider=Sandbox (the local payment sandbox)");
                var sandbox = configuration.GetSection("Payments:Sandbox").Get<SandboxOptions>() ?? new SandboxOptions { BaseUrl = $"http://127.0.0.1:{CustomHandlerHosting.ListenPort(configuration, 7071)}" };
                services.AddSingleton(sandbox);
                services.AddHttpClient<ISandboxWebhookTransport, HttpSandboxTransport>(c => c.BaseAddress = new Uri(sandbox.BaseUrl));
                services.AddSingleton<LocalPaymentSandbox>();
                services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<LocalPaymentSandbox>());
                break;
            default:
                throw new InvalidOperationException($"Payments:Provider must be \"{StripeProvider}\" or \"{SandboxProvider}\" (was \"{payments}\").");
        }

        services.AddSingleton<CheckoutHandler>();

        // Jobs go to Service Bus when a namespace is configured (in Azure, the same one the Functions host's
        // ServiceBusConnection__fullyQualifiedNamespace names); otherwise to the EMBEDDED QUEUE (a SQLite table).
        var queueOptions = configuration.GetSection("Queue").Get<JobQueueOptions>() ?? new JobQueueOptions();
        services.AddSingleton(queueOptions);
        var queueProvider = configuration["Queue:Provider"] ?? (configuration["ServiceBus:FullyQualifiedNamespace"] is { Length: > 0 } ? ServiceBusProvider : EmbeddedQueueProvider);
        switch (queueProvider)
        {
            case ServiceBusProvider:
                services.AddSingleton(configuration.GetSection("ServiceBus").Get<ServiceBusOptions>()
                    ?? throw new InvalidOperationException("ServiceBus:FullyQualifiedNamespace is required when Queue:Provider=ServiceBus."));
                services.AddServiceBusSender();
                services.AddSingleton<Azure.Core.TokenCredential>(_ => new Azure.Identity.DefaultAzureCredential());
                services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<ServiceBusRestQueue>());
                break;
            case EmbeddedQueueProvider:
                RefuseInProduction(environment, "Queue:Provider=Embedded (the embedded SQLite queue)");
                services.AddSqliteMigrations(JobSqliteMigrations.All);
                if (store != StoreProvider.Sqlite)
                {
                    AddSqliteDatabase(services, configuration, environment); // the queue's own file beside a Cosmos store
                    services.AddHostedService<EmbeddedQueueInitializer>();
                }

                services.AddSingleton<SqliteJobQueue>();
                services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<SqliteJobQueue>());
                services.AddSingleton<IJobReceiver>(sp => sp.GetRequiredService<SqliteJobQueue>());
                break;
            default:
                throw new InvalidOperationException($"Queue:Provider must be \"{ServiceBusProvider}\" or \"{EmbeddedQueueProvider}\" (was \"{queueProvider}\").");
        }

        AddFeatures(services, configuration, environment);
        services.AddSingleton<IBillingAnomalyMonitor, LoggingAnomalyMonitor>();
        services.AddSingleton<UserPlanSync>();
        services.AddSingleton<StripeEventHandler>();
        services.AddSingleton<GracePeriodSweep>();
        services.AddSingleton<IdentifyHandler>();
        services.AddSingleton<QuotaQueryHandler>();

        services.AddSingleton(sp => new ConfiguredTenants(TenantCatalog.Load(configuration, environment.ContentRootPath)));

        // Registered before the web server's own hosted service: start-up waits briefly for the first store check, then
        // the check goes on in the background (see StoreInitializer) and the readiness gate answers 503 until it passes.
        services.AddSingleton((configuration.GetSection("Store:Startup").Get<StoreStartupOptions>() ?? new StoreStartupOptions()).Validate());
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<StoreHealth>();
        services.AddHostedService<StoreInitializer>();
        return services;
    }

    private static void AddSqliteDatabase(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        services.AddSingleton(sp =>
        {
            var options = configuration.GetSection("Sqlite").Get<SqliteOptions>() ?? new SqliteOptions();
            var path = Path.IsPathRooted(options.Path) ? options.Path : Path.Combine(environment.ContentRootPath, options.Path);
            return new SqliteDatabase(path, sp.GetRequiredService<StoreOperationCounter>(), sp.GetServices<SqliteMigration>(), sp.GetRequiredService<TimeProvider>());
        });

    /// <summary>Feature requests, the AI provider behind them, and the timer jobs' domain services.</summary>
    private static void AddFeatures(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton((configuration.GetSection("Features").Get<FeatureOptions>() ?? new FeatureOptions()).Validate());
        services.AddSingleton(sp => new FeatureRetryPolicy(sp.GetRequiredService<FeatureOptions>()));
        services.AddSingleton(configuration.GetSection("Anonymization").Get<AnonymizationOptions>() ?? new AnonymizationOptions());

        services.AddAiGeneration(configuration, environment);

        services.AddSingleton<FeatureRequestHandler>();
        services.AddSingleton<FeatureJobProcessor>();
        services.AddSingleton<FeatureSweep>();
        services.AddSingleton<QuotaResetSweep>();
        services.AddSingleton<DataSharingHandler>();
        services.AddSingleton<NightlyAnonymization>();
        services.AddSingleton(configuration.GetSection("Referrals").Get<ReferralOptions>() ?? new ReferralOptions());
        services.AddSingleton<ReferralHandler>();
        services.AddSingleton<ReferralPerkSweep>();
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

    private static void RefuseInProduction(IHostEnvironment environment, string what)
    {
        if (environment.IsProduction())
        {
            throw new InvalidOperationException($"{what} is for local runs and tests and is refused in the Production environment. Configure the Azure adapters (see README).");
        }
    }
}

/// <summary>The tenants this instance was configured with (what it seeded into the store at startup).</summary>
public sealed record ConfiguredTenants(IReadOnlyList<Tenant> Tenants)
{
    /// <summary>Every origin any configured tenant allows: the most a CORS preflight (which names no tenant) can be allowed.</summary>
    public IReadOnlySet<string> AllOrigins { get; } = Tenants.SelectMany(t => t.AllowedOrigins).ToHashSet(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Prepares the store for serving and checks it.</summary>
public interface IStoreLifecycle
{
    /// <summary>
    /// Creates what this store may create (the SQLite schema; Cosmos containers only with Cosmos:CreateIfMissing) and
    /// verifies the rest. What is wrong is returned as problems; an exception means the store could not be asked.
    /// </summary>
    Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}

internal sealed class SqliteLifecycle(SqliteDatabase db) : IStoreLifecycle
{
    // The embedded store can always create its own schema, so there is nothing to verify beyond that.
    public Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken)
    {
        db.Initialize();
        return Task.FromResult(StoreCheck.Ready);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Equals(SqliteDatabase.Scalar(c, null, "SELECT 1"), 1L)));
}

internal sealed class CosmosLifecycle(CosmosDatabase db) : IStoreLifecycle
{
    public Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken) => db.InitializeAsync(cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => db.PingAsync(cancellationToken);
}

/// <summary>Creates the embedded queue's tables when the main store is Cosmos (local runs with the Cosmos emulator).</summary>
internal sealed class EmbeddedQueueInitializer(SqliteDatabase db) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        db.Initialize();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
