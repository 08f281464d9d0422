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
            new[] { WorkerFunctions.FeatureRequestSweep, WorkerFunctions.GracePeriodSweep, WorkerFunctions.NightlyAnonymization, WorkerFunctions.QuotaResetSweep, WorkerFunctions.ReferralPerks },
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
