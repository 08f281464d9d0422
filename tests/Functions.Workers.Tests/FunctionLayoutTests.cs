using System.Text.Json.Nodes;
using Functions.Workers.Local;
using Shared.Domain.Jobs;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>The function.json files the Functions host reads (and the local trigger loop with it).</summary>
public sealed class FunctionLayoutTests
{
    private static readonly string Output = Path.GetDirectoryName(typeof(WorkersApp).Assembly.Location)!;

    [Fact]
    public void Service_bus_functions_listen_on_the_generation_queues_with_an_identity_based_connection()
    {
        var functions = FunctionCatalog.Load(Output);

        var queues = functions.Where(f => f.QueueName is not null).ToDictionary(f => f.Name, f => f.QueueName);
        Assert.Equal(QueueNames.AiGenerationPriority, queues[WorkerFunctions.GenerateFeaturePriority]);
        Assert.Equal(QueueNames.AiGenerationStandard, queues[WorkerFunctions.GenerateFeatureStandard]);
        Assert.Equal(QueueNames.CampaignDispatch, queues[CampaignFunctions.CampaignDispatch]);
        foreach (var name in queues.Keys)
        {
            var trigger = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, name, "function.json")))!["bindings"]![0]!;
            Assert.Equal("ServiceBusConnection", (string)trigger["connection"]!); // ServiceBusConnection__fullyQualifiedNamespace in app settings
            Assert.Equal("binary", (string)trigger["dataType"]!);
            Assert.Equal(WorkerFunctions.MessageBinding, (string)trigger["name"]!);
        }
    }

    [Fact]
    public void Timer_functions_have_six_field_schedules_and_each_maps_to_an_endpoint()
    {
        var timers = FunctionCatalog.Load(Output).Where(f => f.Cron is not null).ToList();

        Assert.Equal(
            new[] { WorkerFunctions.FeatureRequestSweep, WorkerFunctions.GracePeriodSweep, WorkerFunctions.NightlyAnonymization, WorkerFunctions.NightlyPrivateRelease, CampaignFunctions.OfferSweep, WorkerFunctions.QuotaResetSweep, WorkerFunctions.ReferralPerks },
            timers.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(timers, t => Assert.Equal(6, t.Schedule!.Split(' ').Length));
        var nightly = timers.Single(t => t.Name == WorkerFunctions.NightlyAnonymization).Cron!;
        Assert.Equal(new DateTime(2026, 11, 24, 2, 30, 0), nightly.GetNextOccurrence(new DateTime(2026, 11, 23, 9, 0, 0)));
    }

    [Fact]
    public void The_workers_host_json_gives_slow_ai_calls_lock_renewal_and_bounded_concurrency()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "host.json")))!;
        var serviceBus = host["extensions"]!["serviceBus"]!;

        Assert.Equal("00:10:00", (string)serviceBus["maxAutoLockRenewalDuration"]!);
        Assert.InRange((int)serviceBus["maxConcurrentCalls"]!, 1, 16);
        Assert.Equal("00:10:00", (string)host["functionTimeout"]!);
    }
}

/// <summary>The local trigger loop keeps going when an invocation fails or times out (as the host would).</summary>
public sealed class LocalTriggerLoopTests
{
    [Fact]
    public async Task A_timed_out_timer_invocation_is_logged_and_the_schedule_goes_on()
    {
        var clock = new TestSupport.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        using var http = new HttpClient(new TimingOutHandler()) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var functions = FunctionCatalog.Load(Path.GetDirectoryName(typeof(WorkersApp).Assembly.Location)!);
        var loop = new LocalTriggerLoop(new NoMessages(), new LocalFunctionClient(http), new LocalTriggerOptions(), functions, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<LocalTriggerLoop>.Instance);

        Assert.Equal(0, await loop.FireDueTimersAsync(default)); // schedules them
        clock.Advance(TimeSpan.FromDays(1));
        var fired = await loop.FireDueTimersAsync(default); // every timer is due; every invocation times out

        Assert.Equal(functions.Count(f => f.Cron is not null), fired);
        Assert.False(await loop.HandleNextMessageAsync(default));
    }

    private sealed class TimingOutHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.");
    }

    private sealed class NoMessages : IJobReceiver
    {
        public Task<LeasedJob?> ReceiveAsync(IReadOnlyList<string> queuesInPriorityOrder, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult<LeasedJob?>(null);

        public Task<bool> CompleteAsync(LeasedJob job, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> AbandonAsync(LeasedJob job, TimeSpan delay, string reason, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<LeasedJob>> ListDeadLettersAsync(string queue, int max, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<LeasedJob>>([]);
    }
}
