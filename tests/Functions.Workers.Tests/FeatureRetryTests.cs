using System.Text.Json.Nodes;
using Shared.Domain.Ai;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>
/// Retries that wait: the host redelivers a failed message at once, so a transient failure completes the message and
/// schedules the request's next round for later; the test clock stands in for the minutes that pass.
/// </summary>
public sealed class FeatureRetryTests : IDisposable
{
    private static readonly int[] NominalDelaysSeconds = [15, 30, 60, 120, 240];

    private readonly List<WorkersHost> _hosts = [];

    private WorkersHost Host(Dictionary<string, string?>? settings = null)
    {
        var host = new WorkersHost(settings);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task A_provider_throttled_for_three_minutes_is_tried_again_only_after_each_retry_after_and_then_completes()
    {
        var host = Host();
        var start = host.Clock.Now;
        host.Ai.Outage = now => now < start.AddMinutes(3) ? new AiProviderException("429 rate limited", transient: true, TimeSpan.FromSeconds(60)) : null;
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Add a dark mode toggle");

        await host.DrainAsync(host.Loop());

        var stored = await host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
        Assert.Equal(ReservationState.Committed, stored.Reservation);
        Assert.Equal([0, 60, 120, 180], host.Ai.CallLog.Select(c => (c.At - start).TotalSeconds)); // never before the provider's Retry-After
        Assert.Equal(4, stored.Attempts);
        Assert.Equal(4, stored.Round);
        Assert.Equal(1, await host.UsedAsync("alpha", user));
        Assert.Empty(host.Queued());
        Assert.Empty(await host.Get<IJobReceiver>().ListDeadLettersAsync(QueueNames.AiGenerationStandard, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_provider_down_for_five_minutes_is_retried_with_growing_delays_and_then_completes()
    {
        var host = Host();
        var start = host.Clock.Now;
        host.Ai.Outage = now => now < start.AddMinutes(5) ? new AiProviderException("The AI provider answered 503", transient: true) : null;
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Highlight prices");

        await host.DrainAsync(host.Loop());

        var stored = await host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
        var calls = host.Ai.CallLog.Select(c => c.At).ToList();
        var gaps = calls.Zip(calls.Skip(1), (a, b) => b - a).ToList();

        // 15, 30, 60, 120, 240 s nominal, each shortened by up to a quarter: the sixth attempt is past the outage, whatever the jitter.
        Assert.Equal(6, calls.Count);
        Assert.Equal(6, stored.Attempts);
        Assert.All(gaps.Zip(NominalDelaysSeconds), g => Assert.InRange(g.First.TotalSeconds, g.Second * 0.75, g.Second));
        Assert.True(calls[^1] >= start.AddMinutes(5));
        Assert.Equal(1, await host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task A_provider_that_never_recovers_fails_the_request_after_the_retry_budget_not_after_five_deliveries()
    {
        // This replaces the first version's test of the same situation, which expected the fifth quick delivery to
        // fail the request and dead-letter the message: that is the behaviour this change removes.
        var host = Host();
        host.Ai.Failing = true;
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Translate headings");
        Assert.Equal(1, await host.UsedAsync("alpha", user));

        var deliveries = await host.DrainAsync(host.Loop());

        var stored = await host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Failed, stored!.Status);
        Assert.Equal("generation_failed", stored.FailureReason);
        Assert.Equal(ReservationState.Released, stored.Reservation);
        Assert.Equal(stored.RetryBudgetFrom!.Value.AddMinutes(30), stored.UpdatedAt); // the last attempt lands on the budget's end
        Assert.Equal(host.Ai.Calls, stored.Attempts);
        Assert.InRange(host.Ai.Calls, 8, 12);
        Assert.Equal(host.Ai.Calls, deliveries); // one delivery per attempt: each message was completed, none redelivered
        Assert.Equal(0, await host.UsedAsync("alpha", user));
        Assert.Empty(host.Queued());
        Assert.Empty(await host.Get<IJobReceiver>().ListDeadLettersAsync(QueueNames.AiGenerationStandard, 10, CancellationToken.None));

        // The use was given back exactly once: a repeated last message, a sweep and a second release change nothing.
        var last = FeatureJob.For(stored);
        var (status, answer) = await host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(last.ToJson(), last.MessageId, 2));
        Assert.Equal(200, status);
        Assert.Equal("alreadyfinished", (string)JsonNode.Parse(answer)!["ReturnValue"]!);
        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(200, (await host.InvokeAsync("FeatureRequestSweep", WorkersHost.HostTimerPayload("FeatureRequestSweep"))).Status);
        Assert.Equal(ReleaseOutcome.AlreadyReleased, await host.Get<IQuotaStore>().ReleaseAsync(request.TenantId, user, request.ReservationKey, stored.UpdatedAt, CancellationToken.None));
        Assert.Equal(0, await host.UsedAsync("alpha", user));
        Assert.Equal(stored.Attempts, host.Ai.Calls);
    }

    [Fact]
    public async Task A_failure_another_attempt_would_repeat_fails_at_once_and_completes_the_message()
    {
        var host = Host();
        host.Ai.Outage = _ => new AiProviderException("The AI provider answered 400: bad model", transient: false);
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Count words");

        Assert.True(await host.Loop().HandleNextMessageAsync(CancellationToken.None));

        var stored = await host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Failed, stored!.Status);
        Assert.Equal("generation_failed", stored.FailureReason);
        Assert.Equal(1, host.Ai.Calls);
        Assert.Equal(0, await host.UsedAsync("alpha", user));
        Assert.Empty(host.Queued());
    }

    [Fact]
    public async Task An_unexpected_exception_answers_500_so_the_hosts_delivery_count_dead_letters_the_message()
    {
        var host = Host();
        host.Ai.Outage = _ => new InvalidOperationException("a bug");
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Sort tables");
        var job = FeatureJob.For(request);

        var (status, _) = await host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(job.ToJson(), job.MessageId, 1));
        Assert.Equal(500, status);

        var loop = host.Loop();
        for (var delivery = 1; delivery <= 5; delivery++)
        {
            Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
            host.Clock.Advance(TimeSpan.FromMinutes(2)); // past the local loop's backoff
        }

        Assert.False(await loop.HandleNextMessageAsync(CancellationToken.None));
        var dead = await host.Get<IJobReceiver>().ListDeadLettersAsync(QueueNames.AiGenerationStandard, 10, CancellationToken.None);
        Assert.Equal(request.Id, Assert.Single(dead).MessageId);
        Assert.Equal(FeatureRequestStatus.Processing, (await host.ReloadAsync(request))!.Status); // the reservation TTL finishes it
    }

    [Fact]
    public async Task Our_own_rate_limit_makes_requests_wait_without_spending_attempts_and_all_complete_as_capacity_frees_up()
    {
        var host = Host(new() { ["Ai:RequestsPerMinutePerTenant"] = "2" });
        var start = host.Clock.Now;
        var requests = new List<FeatureRequest>();
        for (var i = 0; i < 8; i++)
        {
            requests.Add(await host.SubmitAsync("alpha", await host.NewUserAsync("alpha"), $"feature {i}"));
        }

        var other = await host.SubmitAsync("beta", await host.NewUserAsync("beta"), "another tenant's feature");

        await host.DrainAsync(host.Loop());

        foreach (var request in requests.Append(other))
        {
            var stored = await host.ReloadAsync(request);
            Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
            Assert.Equal(1, stored.Attempts); // waiting never counted as an attempt
            Assert.Equal(1, await host.UsedAsync(request.TenantId.Value, request.UserId));
        }

        // Two at once, then one every 30 s, each waiting request told its own time; the other tenant did not wait.
        var alpha = host.Ai.CallLog.Where(c => c.Tenant.Value == "alpha").Select(c => (c.At - start).TotalSeconds);
        Assert.Equal([0, 0, 30, 60, 90, 120, 150, 180], alpha);
        Assert.Equal(0, (host.Ai.CallLog.Single(c => c.Tenant.Value == "beta").At - start).TotalSeconds);
        Assert.Equal(9, host.Ai.Calls);
        Assert.Equal(6, (await Task.WhenAll(requests.Select(host.ReloadAsync))).Count(r => r!.Round == 2)); // six waited once
    }

    [Fact]
    public async Task Waiting_for_our_own_rate_limit_ends_before_the_reservation_does_and_then_gives_the_use_back()
    {
        // One call a minute; reservations of 10 min, swept every 5: no attempt may be scheduled later than 5 min after submission.
        var host = Host(new() { ["Ai:RequestsPerMinutePerTenant"] = "1", ["Features:ReservationTtl"] = "00:10:00", ["Features:ResendAfter"] = "00:05:00" });
        var requests = new List<FeatureRequest>();
        for (var i = 0; i < 8; i++)
        {
            requests.Add(await host.SubmitAsync("alpha", await host.NewUserAsync("alpha"), $"feature {i}"));
        }

        await host.DrainAsync(host.Loop());

        var stored = (await Task.WhenAll(requests.Select(host.ReloadAsync))).Select(r => r!).ToList();
        var completed = stored.Where(r => r.Status == FeatureRequestStatus.Completed).ToList();
        var expired = stored.Where(r => r.Status == FeatureRequestStatus.Failed).ToList();
        Assert.Equal(6, completed.Count); // at 0, 1, 2, 3, 4 and 5 min
        Assert.Equal(2, expired.Count); // their turn (6 and 7 min) was past the deadline
        Assert.All(expired, r => Assert.Equal(("expired", ReservationState.Released, 0), (r.FailureReason, r.Reservation, r.Attempts)));
        Assert.All(completed, r => Assert.True(r.CompletedAt <= r.CreatedAt.AddMinutes(5)));
        foreach (var r in stored)
        {
            Assert.Equal(r.Status == FeatureRequestStatus.Completed ? 1 : 0, await host.UsedAsync("alpha", r.UserId));
        }
    }

    [Fact]
    public async Task Waiting_for_our_own_rate_limit_between_failed_attempts_is_not_charged_to_the_retry_budget()
    {
        // One call a minute for two requests whose attempts always fail: their retries keep meeting the limit.
        var host = Host(new() { ["Ai:RequestsPerMinutePerTenant"] = "1" });
        host.Ai.Failing = true;
        var requests = new List<FeatureRequest>();
        for (var i = 0; i < 2; i++)
        {
            requests.Add(await host.SubmitAsync("alpha", await host.NewUserAsync("alpha"), $"feature {i}"));
        }

        await host.DrainAsync(host.Loop());

        var waited = TimeSpan.Zero;
        foreach (var request in requests)
        {
            var stored = await host.ReloadAsync(request);
            var firstCall = host.Ai.CallLog.Where(c => c.Text == request.RequestText).Min(c => c.At);
            Assert.Equal(FeatureRequestStatus.Failed, stored!.Status);
            Assert.Equal("generation_failed", stored.FailureReason);
            Assert.Equal(stored.RetryBudgetFrom!.Value.AddMinutes(30), stored.UpdatedAt); // 30 min of trying, plus the waits
            Assert.Equal(stored.Attempts, host.Ai.CallLog.Count(c => c.Text == request.RequestText));
            waited += stored.RetryBudgetFrom.Value - firstCall;
        }

        Assert.True(waited > TimeSpan.Zero, "the limit never made an attempt wait");
    }

    [Fact]
    public async Task A_repeated_retry_message_neither_generates_again_nor_schedules_a_second_retry()
    {
        var host = Host();
        var calls = 0;
        host.Ai.Outage = _ => Interlocked.Increment(ref calls) <= 2 ? new AiProviderException("503", transient: true) : null;
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Dark mode");
        var loop = host.Loop();

        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None)); // attempt 1 fails: round 2 scheduled
        var roundTwo = Assert.Single(host.Queued());
        Assert.Equal(request.Id + "-r2", roundTwo.MessageId);
        host.Clock.Set(roundTwo.VisibleAt);
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None)); // attempt 2 fails: round 3 scheduled
        var roundThree = Assert.Single(host.Queued());
        Assert.Equal(request.Id + "-r3", roundThree.MessageId);
        var before = await host.ReloadAsync(request);

        // Round 2's message again (the host delivers at least once): nothing generated, round 3 not scheduled twice.
        var (status, answer) = await host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(roundTwo.Body, roundTwo.MessageId, 1));
        Assert.Equal(200, status);
        Assert.Equal("superseded", (string)JsonNode.Parse(answer)!["ReturnValue"]!);
        Assert.Equal(2, host.Ai.Calls);
        Assert.Equal(roundThree, Assert.Single(host.Queued()));
        Assert.Equal(before!.Version, (await host.ReloadAsync(request))!.Version);

        await host.DrainAsync(loop);
        (status, answer) = await host.InvokeAsync("GenerateFeatureStandard", WorkersHost.HostMessagePayload(roundThree.Body, roundThree.MessageId, 2));
        Assert.Equal("alreadyfinished", (string)JsonNode.Parse(answer)!["ReturnValue"]!);
        Assert.Equal(3, host.Ai.Calls);
        Assert.Equal(FeatureRequestStatus.Completed, (await host.ReloadAsync(request))!.Status);
        Assert.Equal(1, await host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task A_retry_whose_send_failed_is_sent_by_the_redelivered_message_and_the_request_completes()
    {
        var host = Host();
        var calls = 0;
        host.Ai.Outage = _ => Interlocked.Increment(ref calls) == 1 ? new AiProviderException("503", transient: true) : null;
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Word count");
        var loop = host.Loop();

        host.QueueDown = true; // the next round is recorded, but its message cannot be sent
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        Assert.Equal(request.Id, Assert.Single(host.Queued()).MessageId); // given back to the queue (answered 500)
        Assert.Equal(2, (await host.ReloadAsync(request))!.Round);

        host.QueueDown = false;
        await host.DrainAsync(loop);

        Assert.Equal(FeatureRequestStatus.Completed, (await host.ReloadAsync(request))!.Status);
        Assert.Equal(2, host.Ai.Calls);
        Assert.Equal(1, await host.UsedAsync("alpha", user));
    }

    [Fact]
    public async Task The_sweep_leaves_a_request_waiting_for_its_scheduled_retry_alone_and_resends_one_whose_retry_was_lost()
    {
        var host = Host();
        var start = host.Clock.Now;
        host.Ai.Outage = now => now < start.AddMinutes(8) ? new AiProviderException("429", transient: true, TimeSpan.FromMinutes(8)) : null;
        var loop = host.Loop();
        var waiting = await host.SubmitAsync("alpha", await host.NewUserAsync("alpha"), "waits for its retry");
        var lost = await host.SubmitAsync("alpha", await host.NewUserAsync("alpha"), "its retry gets lost");
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        Assert.Equal(new[] { waiting.Id + "-r2", lost.Id + "-r2" }.Order(StringComparer.Ordinal), host.Queued().Select(m => m.MessageId).Order(StringComparer.Ordinal));
        await host.DropQueuedAsync(lost.Id + "-r2");

        // 6 min later both look untouched for longer than the resend interval, but their retries are due at 8 min.
        host.Clock.Set(start.AddMinutes(6));
        var (_, log) = await host.InvokeAsync("FeatureRequestSweep", WorkersHost.HostTimerPayload("FeatureRequestSweep"));
        Assert.DoesNotContain("Resent = 1", log, StringComparison.Ordinal);
        Assert.Equal([waiting.Id + "-r2"], host.Queued().Select(m => m.MessageId));

        // Past 8 min the scheduled one runs; one resend interval after its due time the lost one is sent again as round 2.
        host.Clock.Set(start.AddMinutes(8));
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        Assert.Equal(FeatureRequestStatus.Completed, (await host.ReloadAsync(waiting))!.Status);
        host.Clock.Set(start.AddMinutes(13).AddSeconds(1));
        (_, log) = await host.InvokeAsync("FeatureRequestSweep", WorkersHost.HostTimerPayload("FeatureRequestSweep"));
        Assert.Contains("Resent = 1", log, StringComparison.Ordinal);
        Assert.Equal([lost.Id + "-r2"], host.Queued().Select(m => m.MessageId));
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        Assert.Equal(FeatureRequestStatus.Completed, (await host.ReloadAsync(lost))!.Status);
        Assert.Equal(4, host.Ai.Calls);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_makes_the_message_come_back_later_instead_of_burning_its_deliveries()
    {
        var host = Host();
        var user = await host.NewUserAsync("alpha");
        var request = await host.SubmitAsync("alpha", user, "Summarize");
        var loop = host.Loop();

        host.StoreDown = true;
        Assert.True(await loop.HandleNextMessageAsync(CancellationToken.None));
        var later = Assert.Single(host.Queued());
        Assert.Equal(request.Id + "-s1", later.MessageId);
        Assert.InRange((later.VisibleAt - host.Clock.Now).TotalSeconds, 11.25, 15);
        Assert.False(await loop.HandleNextMessageAsync(CancellationToken.None)); // not before its time

        host.StoreDown = false;
        await host.DrainAsync(loop);

        var stored = await host.ReloadAsync(request);
        Assert.Equal(FeatureRequestStatus.Completed, stored!.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(1, host.Ai.Calls);
        Assert.Equal(1, await host.UsedAsync("alpha", user));
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }
}
