using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Functions.Workers.Local;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Tenants;
using TestSupport;

namespace Functions.Workers.Tests;

/// <summary>
/// An AI provider the test scripts, as the chat client below the app's AI pipeline (so the prompt cache, our rate limit
/// and the failure mapping run around it as in production): counts calls (and when they happened, by the test clock),
/// fails while <see cref="Failing"/> is set, and otherwise throws what <see cref="Outage"/> returns for the current time.
/// </summary>
public sealed class ScriptedAiProvider(TimeProvider clock) : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public bool Failing { get; set; }

    /// <summary>Decides each call by the clock: an exception to throw, or null to answer.</summary>
    public Func<DateTimeOffset, Exception?>? Outage { get; set; }

    public ConcurrentQueue<string> Prompts { get; } = new();

    public ConcurrentQueue<(DateTimeOffset At, TenantId Tenant, string Text)> CallLog { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var user = messages.Last(m => m.Role == ChatRole.User).Text;
        Interlocked.Increment(ref _calls);
        Prompts.Enqueue(user);
        CallLog.Enqueue((clock.GetUtcNow(), AiCallContext.Tenant(options) ?? throw new InvalidOperationException("no tenant in the call"), user));
        if (Failing)
        {
            throw new AiProviderException("scripted failure (503)", transient: true);
        }

        return Outage?.Invoke(clock.GetUtcNow()) is { } failure
            ? throw failure
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"// code for: {user}")) { ModelId = "test-model" });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>The workers app in memory on a fresh SQLite store, with a test clock and a scripted AI provider; the local trigger loop is driven by the test.</summary>
public sealed class WorkersHost(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"workers-{Guid.NewGuid():N}", "w.db");
    private readonly string _tenantsFile = TestTenants.WriteFile();

    static WorkersHost()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public WorkersHost()
        : this(null)
    {
    }

    public ScriptedAiProvider Ai => _ai ??= new ScriptedAiProvider(Clock);

    /// <summary>More test services (e.g. notification senders), registered after the app's own.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>When set, sending to the queue throws (a crash between storing a request and sending its job).</summary>
    public bool QueueDown { get; set; }

    /// <summary>When set, every call to the feature request store throws SQLite's "database is locked" (a transient store failure).</summary>
    public bool StoreDown { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Store:Provider", "Sqlite");
        builder.UseSetting("Sqlite:Path", _dbPath);
        builder.UseSetting("Tenants:File", _tenantsFile);
        builder.UseSetting("DataSharing:Export:Folder", Path.Combine(Path.GetDirectoryName(_dbPath)!, "data-sharing-releases"));
        builder.UseSetting("LocalTriggers:Enabled", "false");
        builder.UseSetting("Ai:CacheTtlMinutes", "0");
        builder.UseSetting("Telemetry:Exporter", "None");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.RemoveAllKeyed<IChatClient>(AiServices.ProviderKey);
            services.AddKeyedSingleton<IChatClient>(AiServices.ProviderKey, Ai);
            var queue = services.Single(s => s.ServiceType == typeof(IJobQueue));
            services.Remove(queue);
            services.AddSingleton<IJobQueue>(sp => new SwitchableQueue(sp.GetRequiredService<Shared.Infrastructure.Jobs.SqliteJobQueue>(), this));
            var features = services.Single(s => s.ServiceType == typeof(IFeatureRequestStore));
            services.Remove(features);
            services.AddSingleton<IFeatureRequestStore>(sp => new SwitchableStore((IFeatureRequestStore)ActivatorUtilities.CreateInstance(sp, features.ImplementationType!), this));
            ExtraServices?.Invoke(services);
        });
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public Tenant Tenant(string id) => Get<ConfiguredTenants>().Tenants.Single(t => t.Id.Value == id);

    /// <summary>A user with a quota account on the given plan (the free plan unless named).</summary>
    public async Task<UserId> NewUserAsync(string tenantId, string? planId = null)
    {
        var tenant = Tenant(tenantId);
        var plan = planId is null ? tenant.DefaultPlan : tenant.FindPlan(PlanId.Parse(planId))!;
        var user = UserId.New();
        await Get<IQuotaStore>().CreateIfMissingAsync(QuotaAccount.Open(tenant.Id, user, plan.Id, plan.Allowance, Clock.Now, Clock.Now), CancellationToken.None);
        return user;
    }

    public async Task<FeatureRequest> SubmitAsync(string tenantId, UserId user, string text)
    {
        var result = await Get<SubmitFeatureRequest>().HandleAsync(Tenant(tenantId), user, FeatureRequestText.Parse(text), null, CancellationToken.None);
        Xunit.Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value.Request;
    }

    public Task<FeatureRequest?> ReloadAsync(FeatureRequest request) =>
        Get<IFeatureRequestStore>().GetAsync(request.TenantId, request.UserId, request.Id, CancellationToken.None);

    public async Task<int> UsedAsync(string tenantId, UserId user) =>
        (await Get<IQuotaStore>().GetAsync(TenantId.Parse(tenantId), user, CancellationToken.None))!.StatusAt(Clock.Now).Used;

    /// <summary>The local trigger loop over the in-memory server, reading the function.json files of the build output.</summary>
    public LocalTriggerLoop Loop() => new(
        Get<IJobReceiver>(),
        new LocalFunctionClient(CreateClient()),
        new LocalTriggerOptions { LeaseSeconds = 60 },
        FunctionCatalog.Load(Path.GetDirectoryName(typeof(WorkersApp).Assembly.Location)!),
        Clock,
        NullLogger<LocalTriggerLoop>.Instance);

    /// <summary>A Service Bus message invocation exactly as the host sends it for a binary-typed trigger.</summary>
    public static string HostMessagePayload(string body, string messageId, int deliveryCount) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Data"] = new Dictionary<string, object> { ["message"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) },
        ["Metadata"] = new Dictionary<string, object>
        {
            ["MessageId"] = JsonSerializer.Serialize(messageId),
            ["DeliveryCount"] = deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ContentType"] = "\"application/json\"",
            ["UserProperties"] = new Dictionary<string, object>(),
            ["sys"] = new Dictionary<string, object> { ["MethodName"] = "GenerateFeatureStandard", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    });

    public static string HostTimerPayload(string function) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Data"] = new Dictionary<string, object>
        {
            ["timer"] = new Dictionary<string, object>
            {
                ["Schedule"] = new Dictionary<string, object> { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new Dictionary<string, object> { ["Last"] = "2026-11-23T08:58:00Z", ["Next"] = "2026-11-23T09:02:00Z", ["LastUpdated"] = "2026-11-23T09:00:00Z" },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new Dictionary<string, object> { ["sys"] = new Dictionary<string, object> { ["MethodName"] = function, ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    });

    public async Task<(int Status, string Body)> InvokeAsync(string function, string payload)
    {
        using var client = CreateClient();
        using var response = await client.PostAsync($"/{function}", new StringContent(payload, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The messages waiting in the embedded queue (not dead-lettered), by when they become visible.</summary>
    public IReadOnlyList<(string Queue, string MessageId, string Body, DateTimeOffset VisibleAt)> Queued() =>
        Get<Shared.Infrastructure.Sqlite.SqliteDatabase>().Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT queue, message_id, body, visible_at_ms FROM queue_messages WHERE dead_lettered = 0 ORDER BY visible_at_ms, message_id";
            using var reader = command.ExecuteReader();
            var list = new List<(string, string, string, DateTimeOffset)>();
            while (reader.Read())
            {
                list.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return (IReadOnlyList<(string, string, string, DateTimeOffset)>)list;
        });

    /// <summary>Removes a queued message (a message lost on the way).</summary>
    public Task DropQueuedAsync(string messageId) =>
        Get<Shared.Infrastructure.Sqlite.SqliteDatabase>().WriteAsync(w => w.Execute("DELETE FROM queue_messages WHERE message_id = $id", ("$id", messageId)), CancellationToken.None);

    /// <summary>
    /// What the host and the queue do over time: deliver every visible message, then move the clock to the next
    /// scheduled one, until nothing is queued or <paramref name="done"/> holds. Bounded in steps; returns the deliveries.
    /// </summary>
    public async Task<int> DrainAsync(LocalTriggerLoop loop, Func<Task<bool>>? done = null, int maxSteps = 200)
    {
        var deliveries = 0;
        for (var step = 0; step < maxSteps; step++)
        {
            while (await loop.HandleNextMessageAsync(CancellationToken.None))
            {
                deliveries++;
                Xunit.Assert.True(deliveries < 10 * maxSteps, "messages kept being delivered");
            }

            if (done is not null && await done())
            {
                return deliveries;
            }

            var queued = Queued();
            if (queued.Count == 0)
            {
                return deliveries;
            }

            if (queued[0].VisibleAt > Clock.Now)
            {
                Clock.Set(queued[0].VisibleAt);
            }
        }

        throw new Xunit.Sdk.XunitException($"the queue did not settle within {maxSteps} steps");
    }

    private ScriptedAiProvider? _ai;

    private sealed class SwitchableStore(IFeatureRequestStore inner, WorkersHost host) : IFeatureRequestStore
    {
        public Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken) => Guard(() => inner.TryCreateAsync(request, cancellationToken));

        public Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken) => Guard(() => inner.GetAsync(tenantId, userId, id, cancellationToken));

        public Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken) => Guard(() => inner.TryUpdateAsync(updated, cancellationToken));

        public Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken) => Guard(() => inner.TryDeleteAsync(request, cancellationToken));

        public Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken) => Guard(() => inner.ListAsync(tenantId, userId, max, continuation, cancellationToken));

        public Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken) => Guard(() => inner.ListUnfinishedAsync(tenantId, updatedBefore, max, cancellationToken));

        public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => Guard(() => inner.ListCreatedBetweenAsync(tenantId, userId, from, to, cancellationToken));

        private Task<T> Guard<T>(Func<Task<T>> call) =>
            host.StoreDown ? throw new Microsoft.Data.Sqlite.SqliteException("database is locked (test)", 5) : call();
    }

    private sealed class SwitchableQueue(IJobQueue inner, WorkersHost host) : IJobQueue
    {
        public Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken) =>
            host.QueueDown ? throw new HttpRequestException("queue unreachable (test)") : inner.SendAsync(queue, messages, cancellationToken);
    }
}
