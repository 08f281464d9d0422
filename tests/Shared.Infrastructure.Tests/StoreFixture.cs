using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Infrastructure.Hosting;
using TestSupport;

namespace Shared.Infrastructure.Tests;

/// <summary>The ports of one store, built through the same registration the apps use.</summary>
public sealed class StoreSet : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreSet(ServiceProvider services) => _services = services;

    public ITenantStore Tenants => _services.GetRequiredService<ITenantStore>();

    /// <summary>The store's own directory (no cache), so that each call reaches the store.</summary>
    public Domain.Users.IUserDirectory Users => _services.GetRequiredService<Func<Domain.Users.IUserDirectory>>()();

    public IQuotaStore Quotas => _services.GetRequiredService<IQuotaStore>();

    public IUsageLogStore Usage => _services.GetRequiredService<IUsageLogStore>();

    /// <summary>Any service of the registration (stores, domain services) resolved against this store.</summary>
    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<StoreSet> CreateAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddBackend(configuration, new TestHostEnvironment("Testing"));
        var provider = services.BuildServiceProvider();
        var check = await provider.GetRequiredService<IStoreLifecycle>().InitializeAsync(CancellationToken.None);
        if (!check.IsReady)
        {
            throw new InvalidOperationException($"The test store is not ready: {string.Join("; ", check.Problems)}");
        }

        if (settings.TryGetValue("Store:Provider", out var provider2) && provider2 == "Cosmos")
        {
            // Beside Cosmos, the embedded queue has its own file, created by a hosted service in the apps (none runs here).
            provider.GetRequiredService<Shared.Infrastructure.Sqlite.SqliteDatabase>().Initialize();
        }

        return new StoreSet(provider);
    }

    /// <param name="settings">More configuration (e.g. a feature's options), added to the store's.</param>
    public static Task<StoreSet> SqliteAsync(TimeProvider? time = null, string? path = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Store:Provider"] = "Sqlite",
            ["Sqlite:Path"] = path ?? Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "test.db"),
            ["Secrets:jwt_signing_key"] = "store-tests-signing-key-0123456789abcdef0123456789",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return CreateAsync(all, time);
    }

    public static Task<StoreSet> CosmosAsync(TimeProvider? time = null, string? database = null)
    {
        var settings = CosmosTestSettings.Settings(database ?? $"test-{Guid.NewGuid():N}");
        settings["Secrets:jwt_signing_key"] = "store-tests-signing-key-0123456789abcdef0123456789";
        return CreateAsync(settings, time);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public sealed class TestHostEnvironment(string name) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = name;

    public string ApplicationName { get; set; } = "tests";

    public string ContentRootPath { get; set; } = Path.GetTempPath();

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
