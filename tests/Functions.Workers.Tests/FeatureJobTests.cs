using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Diagnostics;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>The AI generation functions as the Functions host (or the local trigger loop) invokes them.</summary>
public sealed class FeatureJobTests : IDisposable
{
    private readonly WorkersHost _host = new();

    [Fact]
    public async Task A_message_invocation_shaped_like_the_hosts_completes_the_request()
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Add a dark mode toggle");
        var body = new FeatureJob(request.TenantId, user, request.Id).ToJson();

        var (status, answer) = await _host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(body, request.Id, 1));

        Assert.Equal(200, status);
        var json = JsonNode.Parse(answer)!.AsObject();
        Assert.True(json.ContainsKey("Outputs") && json.ContainsKey("Logs") && json.ContainsKey("ReturnValue"), answer);
        Assert.Equal("completed", (string)json["ReturnValue"]!);
        var stored = await _host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
        Assert.Equal(ReservationState.Committed, stored.Reservation);
        Assert.Equal("// code for: Add a dark mode toggle", stored.GeneratedCode);
        Assert.Equal(1, await _host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task The_job_duration_is_measured_with_the_injected_clock()
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Take seven seconds");
        var body = new FeatureJob(request.TenantId, user, request.Id).ToJson();
        _host.Ai.Outage = _ =>
        {
            _host.Clock.Advance(TimeSpan.FromMilliseconds(7_250)); // the call "takes" 7.25 s of the test clock
            return null;
        };
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BackendMetrics.MeterName && instrument.Name == "job.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var outcome = tags.ToArray().FirstOrDefault(t => t.Key == "outcome").Value as string;
            if (outcome == "completed")
            {
                durations.Enqueue(value);
            }
        });
        listener.Start();

        var (status, _) = await _host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(body, request.Id, 1));

        Assert.Equal(200, status);
        Assert.Equal(FeatureRequestStatus.Completed, (await _host.ReloadAsync(request))!.Status);
        Assert.Contains(7_250d, durations); // exactly the test clock's time; a wall-clock measure would be some milliseconds
    }

    [Theory]
    [InlineData("string")]
    [InlineData("object")]
    public async Task A_body_sent_as_a_json_string_or_object_instead_of_base64_is_also_understood(string shape)
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Highlight prices");
        var job = JsonNode.Parse(new FeatureJob(request.TenantId, user, request.Id).ToJson())!;
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = shape == "string" ? JsonValue.Create(job.ToJsonString()) : job },
            ["Metadata"] = new JsonObject { ["MessageId"] = $"\"{request.Id}\"", ["DeliveryCount"] = 1 },
        };

        var (status, _) = await _host.InvokeAsync("GenerateFeatureStandard", payload.ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal(FeatureRequestStatus.Completed, (await _host.ReloadAsync(request))!.Status);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"Data\":{}}")]
    [InlineData("{\"Data\":{\"message\":42},\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"message\":\"bm90IGEgam9i\"},\"Metadata\":{\"DeliveryCount\":\"1\"}}")]
    [InlineData("{\"Data\":{\"message\":\"//79/w==\"},\"Metadata\":{}}")]
    [InlineData("{\"Data\":{\"message\":\"{\\\"tenant_id\\\":\\\"alpha\\\",\\\"user_id\\\":\\\"nope\\\",\\\"request_id\\\":\\\"fr_x\\\"}\"}}")]
    public async Task A_malformed_invocation_is_refused_with_a_4xx_and_changes_nothing(string payload)
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Something");

        var (status, _) = await _host.InvokeAsync("GenerateFeatureStandard", payload);

        Assert.InRange(status, 400, 499);
        Assert.Equal(0, _host.Ai.Calls);
        var stored = await _host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Pending, stored!.Status);
        Assert.Equal(request.Version, stored.Version);
    }

    [Fact]
    public async Task The_same_message_delivered_five_times_calls_the_ai_once_and_consumes_one_use()
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Summarize the page");
        var body = new FeatureJob(request.TenantId, user, request.Id).ToJson();

        for (var delivery = 1; delivery <= 5; delivery++)
        {
            var (status, _) = await _host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(body, request.Id, delivery));
            Assert.Equal(200, status);
        }

        Assert.Equal(1, _host.Ai.Calls);
        Assert.Equal(1, await _host.UsedAsync("alpha", user));
        Assert.Equal(1, (await _host.ReloadAsync(request))!.Attempts);
    }

    [Fact]
    public async Task When_the_send_fails_after_the_request_is_stored_the_sweep_delivers_it_later()
    {
        var user = await _host.NewUserAsync("alpha");
        _host.QueueDown = true;
        var submitted = await _host.Get<SubmitFeatureRequest>().HandleAsync(_host.Tenant("alpha"), user, FeatureRequestText.Parse("Count words"), null, CancellationToken.None);
        Assert.True(submitted.IsSuccess);
        Assert.NotNull(submitted.Value.SendFailure);
        var loop = _host.Loop();
        Assert.False(await loop.HandleNextMessageAsync(CancellationToken.None)); // nothing was queued

        _host.QueueDown = false;
        _host.Clock.Advance(TimeSpan.FromMinutes(6));
        var (status, log) = await _host.InvokeAsync("FeatureRequestSweep", WorkersHost.HostTimerPayload("FeatureRequestSweep"));
        Assert.Equal(200, status);
        Assert.Contains("Resent = 1", log);
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));

        var stored = await _host.ReloadAsync(submitted.Value.Request);
        Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
        Assert.Equal(1, await _host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task With_both_queues_full_paid_requests_are_taken_first()
    {
        var free = new List<FeatureRequest>();
        var paid = new List<FeatureRequest>();
        for (var i = 0; i < 5; i++)
        {
            free.Add(await _host.SubmitAsync("alpha", await _host.NewUserAsync("alpha"), $"free {i}"));
        }

        for (var i = 0; i < 5; i++)
        {
            paid.Add(await _host.SubmitAsync("alpha", await _host.NewUserAsync("alpha", "pro"), $"paid {i}"));
        }

        Assert.All(paid, r => Assert.Equal(QueueNames.AiGenerationPriority, r.Queue));
        Assert.All(free, r => Assert.Equal(QueueNames.AiGenerationStandard, r.Queue));
        var loop = _host.Loop();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        }

        Assert.Equal(paid.Select(r => r.RequestText).Order(), _host.Ai.Prompts.Order());
        foreach (var request in free)
        {
            Assert.Equal(FeatureRequestStatus.Pending, (await _host.ReloadAsync(request))!.Status);
        }
    }

    [Fact]
    public async Task A_request_left_unfinished_past_its_reservation_ttl_expires_and_gives_the_use_back()
    {
        var user = await _host.NewUserAsync("alpha");
        var request = await _host.SubmitAsync("alpha", user, "Never processed");
        Assert.Equal(1, await _host.UsedAsync("alpha", user));

        _host.Clock.Advance(TimeSpan.FromMinutes(61));
        var (status, _) = await _host.InvokeAsync("FeatureRequestSweep", WorkersHost.HostTimerPayload("FeatureRequestSweep"));

        Assert.Equal(200, status);
        var stored = await _host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Failed, stored!.Status);
        Assert.Equal("expired", stored.FailureReason);
        Assert.Equal(0, await _host.UsedAsync("alpha", user));

        // Its message is still queued: the late delivery finds it finished and does nothing.
        Assert.True(await _host.Loop().HandleNextMessageAsync(CancellationToken.None));
        Assert.Equal(0, _host.Ai.Calls);
        Assert.Equal(0, await _host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task Every_timer_function_accepts_the_hosts_timer_payload_and_reports_per_tenant()
    {
        foreach (var function in new[] { "FeatureRequestSweep", "QuotaResetSweep", "NightlyAnonymization", "NightlyPrivateRelease", "GracePeriodSweep", "ReferralPerks", "OfferSweep" })
        {
            var (status, body) = await _host.InvokeAsync(function, WorkersHost.HostTimerPayload(function));

            Assert.True(status == 200, $"{function}: {status} {body}");
            var logs = JsonNode.Parse(body)!["Logs"]!.AsArray().Select(l => (string)l!).ToList();
            Assert.Contains(logs, l => l.StartsWith("alpha: ", StringComparison.Ordinal));
            Assert.Contains(logs, l => l.StartsWith("beta: ", StringComparison.Ordinal));
        }

        var (badStatus, _) = await _host.InvokeAsync("QuotaResetSweep", "{\"no\":\"data\"}");
        Assert.Equal(400, badStatus);
    }

    public void Dispose() => _host.Dispose();
}
