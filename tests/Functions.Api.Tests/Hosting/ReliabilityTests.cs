using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Ai;
using TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>Decides, reproducibly, whether the next call fails, and whether before or after the real operation ran.</summary>
public sealed class FaultInjector(int seed, double probability)
{
    private readonly Random _random = new(seed);
    private int _before;
    private int _after;

    private volatile bool _enabled;

    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public int Before => _before;

    public int After => _after;

    public async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        var roll = Roll();
        if (roll == 1)
        {
            Interlocked.Increment(ref _before);
            throw Fault();
        }

        var result = await operation();
        if (roll == 2)
        {
            Interlocked.Increment(ref _after); // it happened, but the caller never hears so (a lost response)
            throw Fault();
        }

        return result;
    }

    public Task RunAsync(Func<Task> operation) => RunAsync<bool>(async () =>
    {
        await operation();
        return true;
    });

    /// <summary>0: no fault; 1: fail before; 2: fail after.</summary>
    private int Roll()
    {
        if (!Enabled)
        {
            return 0;
        }

        lock (_random)
        {
            var x = _random.NextDouble();
            return x < probability / 2 ? 1 : x < probability ? 2 : 0;
        }
    }

    private static SqliteException Fault() => new("injected fault: database is locked", 5); // SQLITE_BUSY: transient
}

internal sealed class FaultyQuotas(IQuotaStore inner, FaultInjector faults) : IQuotaStore
{
    public Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken) => faults.RunAsync(() => inner.TryConsumeAsync(tenantId, userId, key, now, cancellationToken));

    public Task<ReserveOutcome?> TryReserveAsync(TenantId tenantId, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken) => faults.RunAsync(() => inner.TryReserveAsync(tenantId, userId, key, limit, now, cancellationToken));

    public Task<bool> SettleAsync(TenantId tenantId, UserId userId, RequestKey key, CancellationToken cancellationToken) => faults.RunAsync(() => inner.SettleAsync(tenantId, userId, key, cancellationToken));

    public Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken) => faults.RunAsync(() => inner.CreateIfMissingAsync(account, cancellationToken));

    public Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => faults.RunAsync(() => inner.GetAsync(tenantId, userId, cancellationToken));

    public Task<bool> ChangePlanAsync(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ChangePlanAsync(tenantId, userId, planId, allowance, anchor, now, cancellationToken));

    public Task<ReleaseOutcome> ReleaseAsync(TenantId tenantId, UserId userId, RequestKey key, DateTimeOffset now, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ReleaseAsync(tenantId, userId, key, now, cancellationToken));

    public Task<IReadOnlyList<UserId>> ListEndedPeriodsAsync(TenantId tenantId, DateTimeOffset now, UserId? after, int max, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ListEndedPeriodsAsync(tenantId, now, after, max, cancellationToken));

    public Task<UsageArchiveEntry?> RollOverAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => faults.RunAsync(() => inner.RollOverAsync(tenantId, userId, now, cancellationToken));

    public Task<bool> GrantBonusAsync(TenantId tenantId, UserId userId, string grantKey, int uses, CancellationToken cancellationToken) => faults.RunAsync(() => inner.GrantBonusAsync(tenantId, userId, grantKey, uses, cancellationToken));
}

internal sealed class FaultyFeatures(IFeatureRequestStore inner, FaultInjector faults) : IFeatureRequestStore
{
    public Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken) => faults.RunAsync(() => inner.TryCreateAsync(request, cancellationToken));

    public Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken) => faults.RunAsync(() => inner.GetAsync(tenantId, userId, id, cancellationToken));

    public Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken) => faults.RunAsync(() => inner.TryUpdateAsync(updated, cancellationToken));

    public Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken) => faults.RunAsync(() => inner.TryDeleteAsync(request, cancellationToken));

    public Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ListAsync(tenantId, userId, max, continuation, cancellationToken));

    public Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ListUnfinishedAsync(tenantId, updatedBefore, max, cancellationToken));

    public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => faults.RunAsync(() => inner.ListCreatedBetweenAsync(tenantId, userId, from, to, cancellationToken));
}

internal sealed class FaultyQueue(IJobQueue inner, FaultInjector faults) : IJobQueue
{
    public Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken) => faults.RunAsync(() => inner.SendAsync(queue, messages, cancellationToken));
}

/// <summary>The provider's chat client with faults injected: below the app's AI pipeline, so its failure mapping sees them.</summary>
internal sealed class FaultyAi(IChatClient inner, FaultInjector faults) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await faults.RunAsync(() => base.GetResponseAsync(messages, options, cancellationToken));
        }
        catch (SqliteException e)
        {
            throw new AiProviderException("injected provider fault", transient: true, inner: e);
        }
    }
}

/// <summary>The API with the store, the queue and the AI provider wrapped in fault-injecting adapters.</summary>
public sealed class FaultyApiFactory(FaultInjector faults) : ApiFactory(StoreKind.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            Decorate<IQuotaStore>(services, inner => new FaultyQuotas(inner, faults));
            Decorate<IFeatureRequestStore>(services, inner => new FaultyFeatures(inner, faults));
            Decorate<IJobQueue>(services, inner => new FaultyQueue(inner, faults));
            var provider = services.Last(s => s.ServiceType == typeof(IChatClient) && Equals(s.ServiceKey, AiServices.ProviderKey));
            services.Remove(provider);
            services.AddKeyedSingleton<IChatClient>(AiServices.ProviderKey, (sp, key) => new FaultyAi(provider.KeyedImplementationFactory!(sp, key) as IChatClient ?? (IChatClient)provider.KeyedImplementationInstance!, faults));
        });
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap)
        where T : class
    {
        var original = services.Last(s => s.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(sp => wrap((T)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }
}

/// <summary>
/// The reliability suite's fault-injection run: identify and feature-request load while the store, the queue and the
/// AI provider fail intermittently (before or after the real operation), with clients retrying as the API tells them
/// (same request_id / Idempotency-Key). Once faults stop and the sweeps and workers catch up: no over-grant, no lost
/// request, no double charge.
/// </summary>
public sealed class ReliabilityTests(ITestOutputHelper output)
{
    private const int Users = 30;
    private const int IdentifiesPerUser = 8;
    private const int FeaturesPerUser = 4;

    [Fact]
    public async Task Under_intermittent_store_queue_and_ai_faults_nothing_is_over_granted_lost_or_charged_twice()
    {
        var faults = new FaultInjector(seed: 2026, probability: 0.15);
        await using var factory = new FaultyApiFactory(faults);
        var tenant = TenantId.Parse(TestTenants.Alpha); // free plan: 10 uses a day
        var services = factory.Services;
        var receiver = services.GetRequiredService<IJobReceiver>();
        var processor = services.GetRequiredService<FeatureJobProcessor>();
        var sweep = services.GetRequiredService<FeatureSweep>();
        var tenantModel = services.GetRequiredService<Shared.Infrastructure.Tenants.ConfiguredTenants>().Tenants.Single(t => t.Id == tenant);

        // Users first (no faults), then the load with faults on.
        var clients = new List<(HttpClient Client, UserId User, string Extension)>();
        for (var i = 0; i < Users; i++)
        {
            var extension = ApiCalls.NewExtensionId();
            var (client, answer) = await factory.IdentifiedClientAsync(TestTenants.Alpha, new { extension_id = extension, request_id = "setup" });
            clients.Add((client, UserId.Parse((string)answer["user_id"]!), extension));
        }

        faults.Enabled = true;
        var sent = 0;
        var serverErrors = 0;
        var allowedIdentifies = new ConcurrentDictionary<UserId, int>();
        var accepted = new ConcurrentBag<(UserId User, string Id)>();
        var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => WorkAsync(receiver, processor, stop.Token))).ToList();

        await Task.WhenAll(clients.Select(async c =>
        {
            for (var n = 0; n < IdentifiesPerUser + FeaturesPerUser; n++)
            {
                var isFeature = n % 3 == 2;
                var key = $"{c.User}-{n}";
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    Interlocked.Increment(ref sent);
                    using var response = isFeature
                        ? await c.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/features/requests") { Content = JsonContent.Create(new { request_text = $"feature {key}" }), Headers = { { "Idempotency-Key", key } } })
                        : await c.Client.PostAsJsonAsync("/api/v1/users/identify", new { extension_id = c.Extension, request_id = key }, CancellationToken.None);
                    if ((int)response.StatusCode >= 500)
                    {
                        Interlocked.Increment(ref serverErrors);
                        Assert.Equal(503, (int)response.StatusCode); // faults are transient: 503 + Retry-After, never a bare 500
                        continue;
                    }

                    var body = await ApiCalls.ReadObjectAsync(response);
                    if (isFeature && (int)response.StatusCode == 202)
                    {
                        accepted.Add((c.User, (string)body["id"]!));
                    }
                    else if (!isFeature && (bool)body["can_use"]!)
                    {
                        allowedIdentifies.AddOrUpdate(c.User, 1, (_, v) => v + 1);
                    }

                    break;
                }
            }
        }));

        // Faults stop; the sweeps and workers catch up (the clock moves past the resend delay, then past the TTL).
        faults.Enabled = false;
        stop.Cancel();
        await Task.WhenAll(workers);
        for (var round = 0; round < 3; round++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(round == 2 ? 61 : 6));
            await sweep.RunAsync(tenantModel, default);
            await WorkAsync(receiver, processor, CancellationToken.None);
        }

        var store = services.GetRequiredService<IFeatureRequestStore>();
        var quotas = services.GetRequiredService<IQuotaStore>();
        var anomalies = new List<string>();
        var acceptedByUser = accepted.GroupBy(a => a.User).ToDictionary(g => g.Key, g => g.Select(a => a.Id).Distinct().ToList());
        foreach (var (_, user, _) in clients)
        {
            var account = await quotas.GetAsync(tenant, user, default);
            var committed = 0;
            foreach (var id in acceptedByUser.GetValueOrDefault(user) ?? [])
            {
                var request = await store.GetAsync(tenant, user, id, default);
                if (request is null || !request.IsFinished)
                {
                    anomalies.Add($"lost or unfinished request {id}: {request?.Status}");
                    continue;
                }

                if (request.Status == FeatureRequestStatus.Failed && string.IsNullOrEmpty(request.FailureReason))
                {
                    anomalies.Add($"{id} failed without a reason");
                }

                committed += request.Reservation == ReservationState.Committed ? 1 : 0;
            }

            var expected = 1 + allowedIdentifies.GetValueOrDefault(user) + committed; // setup identify + allowed identifies + kept reservations
            if (account!.Used > 10)
            {
                anomalies.Add($"over-grant: user {user} used {account.Used} of 10");
            }

            if (account.Used != expected)
            {
                anomalies.Add($"user {user}: {account.Used} uses stored, {expected} charged answers (double charge or lost release)");
            }
        }

        output.WriteLine($"requests sent {sent} (incl. retries), 503s {serverErrors}, faults injected {faults.Before} before + {faults.After} after the operation, accepted feature requests {accepted.Count}, anomalies {anomalies.Count}");
        Assert.True(faults.Before + faults.After > 50, "too few faults were injected to mean anything");
        Assert.Empty(anomalies);
    }

    /// <summary>What the Functions host does with the queue: deliver, complete on success, give back on failure.</summary>
    private static async Task WorkAsync(IJobReceiver receiver, FeatureJobProcessor processor, CancellationToken stop)
    {
        var queues = new[] { QueueNames.AiGenerationPriority, QueueNames.AiGenerationStandard };
        for (var idle = 0; idle < 3;)
        {
            LeasedJob? job;
            try
            {
                job = await receiver.ReceiveAsync(queues, TimeSpan.FromMinutes(5), CancellationToken.None);
            }
            catch (SqliteException)
            {
                continue;
            }

            if (job is null)
            {
                if (stop.IsCancellationRequested || !stop.CanBeCanceled)
                {
                    idle++;
                }

                await Task.Delay(10, CancellationToken.None);
                continue;
            }

            var ok = false;
            try
            {
                ok = FeatureJob.TryParse(job.Body, out var parsed) && (await processor.ProcessAsync(parsed!, CancellationToken.None)).Succeeded;
            }
            catch (SqliteException)
            {
                ok = false; // a store fault inside the worker: the host would see a 500 and redeliver
            }

            if (ok)
            {
                await receiver.CompleteAsync(job, CancellationToken.None);
            }
            else
            {
                await receiver.AbandonAsync(job, TimeSpan.Zero, "failed", CancellationToken.None);
            }
        }
    }
}
