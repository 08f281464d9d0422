using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// The start-up check as the apps run it (a hosted service from <c>AddBackend</c>), against the embedded store with a
/// scripted failure in front of it: retries with a doubling, capped delay; failures reported, never thrown; a check that
/// hangs does not hold start-up; seeding retried. Delays are a few milliseconds; every wait is bounded.
/// </summary>
public sealed class StoreStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Retry_delays_double_up_to_the_maximum()
    {
        var options = new StoreStartupOptions { FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMinutes(1) }.Validate();

        var delays = new List<TimeSpan> { options.FirstRetryDelay };
        for (var i = 0; i < 7; i++)
        {
            delays.Add(options.NextDelay(delays[^1]));
        }

        int[] expected = [1, 2, 4, 8, 16, 32, 60, 60];
        Assert.Equal(expected, delays.Select(d => (int)d.TotalSeconds));
    }

    [Theory]
    [InlineData("-00:00:01", "00:00:01", "00:01:00")]
    [InlineData("00:00:31", "00:00:01", "00:01:00")]
    [InlineData("00:00:10", "00:00:00", "00:01:00")]
    [InlineData("00:00:10", "00:00:02", "00:00:01")]
    public void Unusable_start_up_settings_are_refused(string wait, string first, string max)
    {
        var options = new StoreStartupOptions { WaitBeforeListening = TimeSpan.Parse(wait), FirstRetryDelay = TimeSpan.Parse(first), MaxRetryDelay = TimeSpan.Parse(max) };

        Assert.Throws<InvalidOperationException>(() => options.Validate());
    }

    [Fact]
    public void A_container_is_accepted_only_with_exactly_the_declared_partition_key()
    {
        var users = CosmosContainers.Users;

        Assert.Null(CosmosContainerCheck.Compare(users, ["/tenantId", "/userId"]));
        Assert.Equal("container 'users' is missing (expected partition key [/tenantId, /userId])", CosmosContainerCheck.Compare(users, null));
        Assert.Equal("container 'users' has partition key [/tenantId], expected [/tenantId, /userId]", CosmosContainerCheck.Compare(users, ["/tenantId"]));
        Assert.NotNull(CosmosContainerCheck.Compare(users, ["/userId", "/tenantId"])); // order defines a hierarchical key
        Assert.NotNull(CosmosContainerCheck.Compare(users, ["/tenantid", "/userId"])); // paths are case-sensitive
        Assert.NotNull(CosmosContainerCheck.Compare(CosmosContainers.Tenants, []));
    }

    [Fact]
    public void Containers_are_created_only_when_creating_is_configured_or_a_key_is_used()
    {
        Assert.True(new CosmosOptions { Key = "emulator-key" }.ShouldCreateIfMissing);
        Assert.False(new CosmosOptions { Key = "" }.ShouldCreateIfMissing); // managed identity: verify only
        Assert.False(new CosmosOptions { Key = "emulator-key", CreateIfMissing = false }.ShouldCreateIfMissing);
        Assert.True(new CosmosOptions { CreateIfMissing = true }.ShouldCreateIfMissing);

        // local.settings.sample.json leaves it empty: that means unset, not false.
        var bound = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cosmos:CreateIfMissing"] = "", ["Cosmos:Key"] = "emulator-key" })
            .Build().GetSection("Cosmos").Get<CosmosOptions>()!;
        Assert.Null(bound.CreateIfMissing);
        Assert.True(bound.ShouldCreateIfMissing);
    }

    [Fact]
    public async Task A_failing_check_is_retried_with_doubling_capped_delays_until_the_store_is_ready()
    {
        var script = new LifecycleScript { FailuresLeft = 4 };
        await using var app = await StartedApp.StartAsync(script, NewClock());

        await app.WaitForAsync(s => s.State == StoreState.Ready);

        var failures = script.Seen.Where(s => s.State == StoreState.NotReady).ToList();
        int[] delays = [10, 20, 40, 40];
        Assert.Equal(delays, failures.Select(s => (int)(s.NextCheckAt!.Value - s.CheckedAt!.Value).TotalMilliseconds));
        Assert.All(failures, s => Assert.Equal(["container 'users' is missing (scripted)"], s.Problems));
        Assert.Equal(5, app.Readiness.Status.Attempts);
        Assert.NotNull(await app.Get<ITenantStore>().GetAsync(TenantId.Parse(TestTenants.Alpha), default)); // seeded once ready
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_is_reported_and_retried_never_thrown()
    {
        var script = new LifecycleScript { FailuresLeft = 2, Failure = new HttpRequestException("Connection refused (scripted)") };
        await using var app = await StartedApp.StartAsync(script, NewClock());

        await app.WaitForAsync(s => s.State == StoreState.Ready);

        Assert.Contains(script.Seen, s => s.State == StoreState.NotReady && s.Problems.SequenceEqual(["the store could not be reached"]));
    }

    [Fact]
    public async Task Seeding_the_tenants_is_retried_when_the_store_fails_it()
    {
        var script = new LifecycleScript { SeedFailuresLeft = 2 };
        await using var app = await StartedApp.StartAsync(script, NewClock());

        await app.WaitForAsync(s => s.State == StoreState.Ready);

        Assert.Contains(script.Seen, s => s.State == StoreState.NotReady && s.Problems.SequenceEqual(["seeding the configured tenants failed: the store could not be reached"]));
        Assert.NotNull(await app.Get<ITenantStore>().GetAsync(TenantId.Parse(TestTenants.Alpha), default));
    }

    [Fact]
    public async Task A_check_that_hangs_does_not_hold_start_up_beyond_the_configured_wait()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new LifecycleScript { Gate = release.Task };
        var clock = NewClock();
        var starting = StartedApp.StartAsync(script, clock, waitBeforeListening: "00:00:00.100");
        var deadline = DateTime.UtcNow + Patience;
        while (!starting.IsCompleted && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100)); // past the wait, however the clock drives timers
            await Task.Delay(10);
        }

        await using var app = await starting.WaitAsync(Patience);

        var health = await app.Get<StoreHealth>().CheckAsync(default);
        Assert.Equal(StoreState.Checking, app.Readiness.Status.State);
        Assert.Equal(503, health.StatusCode);
        Assert.Equal(StoreHealthReport.NotReadyCode, health.Code);
        Assert.Contains("not been checked yet", health.Detail, StringComparison.Ordinal);

        release.SetResult();
        await app.WaitForAsync(s => s.State == StoreState.Ready);
        Assert.True((await app.Get<StoreHealth>().CheckAsync(default)).IsHealthy);
    }

    private static ManualTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    /// <summary>What the scripted store does: fail a number of checks or seedings, or hold a check until released; records the status each check saw.</summary>
    private sealed class LifecycleScript
    {
        public int FailuresLeft;
        public int SeedFailuresLeft;

        public Exception? Failure { get; init; }

        public Task? Gate { get; init; }

        public ConcurrentQueue<StoreStatus> Seen { get; } = new();
    }

    private sealed class ScriptedLifecycle(IStoreLifecycle inner, StoreReadiness readiness, LifecycleScript script) : IStoreLifecycle
    {
        public async Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken)
        {
            script.Seen.Enqueue(readiness.Status);
            if (script.Gate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            if (Interlocked.Decrement(ref script.FailuresLeft) >= 0)
            {
                return script.Failure is { } failure ? throw failure : new StoreCheck(["container 'users' is missing (scripted)"]);
            }

            return await inner.InitializeAsync(cancellationToken);
        }

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => inner.IsHealthyAsync(cancellationToken);
    }

    private sealed class ScriptedTenantStore(ITenantStore inner, LifecycleScript script) : ITenantStore
    {
        public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref script.SeedFailuresLeft) >= 0 ? throw new HttpRequestException("scripted") : inner.UpsertAsync(tenant, cancellationToken);

        public Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken) => inner.ListAsync(after, max, cancellationToken);
    }

    /// <summary>A generic host with the apps' backend on a fresh SQLite file and the scripted store in front of it.</summary>
    private sealed class StartedApp : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly ManualTimeProvider _clock;

        private StartedApp(IHost host, ManualTimeProvider clock)
        {
            _host = host;
            _clock = clock;
        }

        public StoreReadiness Readiness => Get<StoreReadiness>();

        public T Get<T>()
            where T : notnull => _host.Services.GetRequiredService<T>();

        public static async Task<StartedApp> StartAsync(LifecycleScript script, ManualTimeProvider clock, string waitBeforeListening = "00:00:10")
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Store:Provider"] = "Sqlite",
                ["Sqlite:Path"] = Path.Combine(Path.GetTempPath(), $"startup-{Guid.NewGuid():N}", "s.db"),
                ["Tenants:File"] = TestTenants.WriteFile(),
                ["Secrets:jwt_signing_key"] = "startup-tests-signing-key-0123456789abcdef0123",
                ["Store:Startup:WaitBeforeListening"] = waitBeforeListening,
                ["Store:Startup:FirstRetryDelay"] = "00:00:00.010",
                ["Store:Startup:MaxRetryDelay"] = "00:00:00.040",
            });
            builder.Services.AddLogging();
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddBackend(builder.Configuration, builder.Environment);
            Decorate<IStoreLifecycle>(builder.Services, (sp, inner) => new ScriptedLifecycle(inner, sp.GetRequiredService<StoreReadiness>(), script));
            Decorate<ITenantStore>(builder.Services, (_, inner) => new ScriptedTenantStore(inner, script));
            var host = builder.Build();
            await host.StartAsync().WaitAsync(Patience);
            return new StartedApp(host, clock);
        }

        public async Task WaitForAsync(Func<StoreStatus, bool> condition)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!condition(Readiness.Status) && DateTime.UtcNow < deadline)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(40)); // past the longest retry delay, however the clock drives timers
                await Task.Delay(10);
            }

            Assert.True(condition(Readiness.Status), $"store status: {Readiness.Status.State}, {Readiness.Status.Describe()}");
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> decorate)
            where T : class
        {
            var original = services.Single(d => d.ServiceType == typeof(T));
            services.Remove(original);
            services.AddSingleton(sp => decorate(sp, original.ImplementationType is { } type ? (T)ActivatorUtilities.CreateInstance(sp, type) : (T)original.ImplementationFactory!(sp)));
        }
    }
}
