using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Xunit;

namespace Shared.Domain.Tests;

public sealed class FeatureRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    private static FeatureRetryPolicy Policy(double random = 0, FeatureOptions? options = null) => new(options ?? new FeatureOptions(), () => random);

    private static FeatureRequest Request(int attempts, DateTimeOffset? retryBudgetFrom, DateTimeOffset? createdAt = null) => new()
    {
        Id = FeatureRequest.NewId(Alpha, UserId.New(), null),
        TenantId = Alpha,
        UserId = UserId.New(),
        RequestText = "Add a dark mode toggle",
        Status = FeatureRequestStatus.Processing,
        Reservation = ReservationState.Held,
        Queue = QueueNames.AiGenerationStandard,
        Attempts = attempts,
        RetryBudgetFrom = retryBudgetFrom,
        CreatedAt = createdAt ?? retryBudgetFrom ?? Now,
        UpdatedAt = Now,
    };

    [Fact]
    public void The_delay_doubles_from_15_seconds_up_to_10_minutes_and_jitter_only_shortens_it_by_a_quarter_at_most()
    {
        var seconds = Enumerable.Range(1, 9).Select(n => Policy().NominalDelay(n).TotalSeconds);

        Assert.Equal([15, 30, 60, 120, 240, 480, 600, 600, 600], seconds);
        Assert.Equal(TimeSpan.FromSeconds(15), Policy(random: 0).Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(11.25), Policy(random: 1).Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(525), Policy(random: 0.5).Backoff(30)); // 600 less an eighth, never above the cap
        Assert.Equal(TimeSpan.FromMinutes(10), Policy().NominalDelay(int.MaxValue));
    }

    [Fact]
    public void A_providers_retry_after_is_the_minimum_and_a_shorter_one_does_not_shorten_the_backoff()
    {
        var request = Request(attempts: 3, retryBudgetFrom: Now.AddMinutes(-2));

        Assert.Equal(Now.AddSeconds(90), Policy().NextAttemptAfterFailure(request, Now, TimeSpan.FromSeconds(90)));
        Assert.Equal(Now.AddSeconds(60), Policy().NextAttemptAfterFailure(request, Now, TimeSpan.FromSeconds(5)));
        Assert.Equal(Now.AddSeconds(60), Policy().NextAttemptAfterFailure(request, Now, null));
    }

    [Fact]
    public void Retries_stop_when_the_time_budget_is_spent_and_the_last_one_lands_on_its_end()
    {
        var first = Now.AddMinutes(-25);

        Assert.Equal(first.AddMinutes(30), Policy().NextAttemptAfterFailure(Request(attempts: 8, first), Now, null)); // 10 min backoff cut to the budget's end
        Assert.Null(Policy().NextAttemptAfterFailure(Request(attempts: 9, first), first.AddMinutes(30), null));
        Assert.Null(Policy().NextAttemptAfterFailure(Request(attempts: 8, first), Now, TimeSpan.FromMinutes(6))); // the provider is not back within the budget
        Assert.Null(Policy(options: new FeatureOptions { MaxAttempts = 8 }).NextAttemptAfterFailure(Request(attempts: 8, first), Now, null));
        Assert.NotNull(Policy(options: new FeatureOptions { MaxAttempts = 9 }).NextAttemptAfterFailure(Request(attempts: 8, first), Now, null));
    }

    [Fact]
    public void No_attempt_is_scheduled_past_one_resend_interval_before_the_reservation_expires()
    {
        // Created 50 min ago: the TTL (1 h) less the resend interval (5 min) leaves 5 min, whatever the retry budget says.
        var request = Request(attempts: 7, retryBudgetFrom: Now.AddMinutes(-1), createdAt: Now.AddMinutes(-50));

        Assert.Equal(Now.AddMinutes(5), Policy().WaitDeadline(request));
        Assert.Equal(Now.AddMinutes(5), Policy().NextAttemptAfterFailure(request, Now, null));
        Assert.Equal(Now.AddSeconds(30), Policy().NextAttemptAfterThrottle(request, Now, TimeSpan.FromSeconds(30)));
        Assert.Null(Policy().NextAttemptAfterThrottle(request, Now, TimeSpan.FromMinutes(6)));
        Assert.Null(Policy().NextAttemptAfterFailure(request, Now.AddMinutes(5), null));
    }

    [Fact]
    public void Waiting_for_our_own_limit_does_not_depend_on_attempts_or_the_budget_and_waits_at_least_a_second()
    {
        var spent = Request(attempts: 20, retryBudgetFrom: Now.AddMinutes(-40), createdAt: Now.AddMinutes(-41));

        Assert.Null(Policy().NextAttemptAfterFailure(spent, Now, null));
        Assert.Equal(Now.AddSeconds(20), Policy().NextAttemptAfterThrottle(spent, Now, TimeSpan.FromSeconds(20)));
        Assert.Equal(Now.AddSeconds(1), Policy().NextAttemptAfterThrottle(spent, Now, TimeSpan.Zero));
    }

    [Fact]
    public void Sending_a_round_again_for_an_unreachable_store_stops_once_its_delays_would_exceed_the_budget()
    {
        var policy = Policy();

        // 15 + 30 + 60 + 120 + 240 + 480 = 945 s; the 7th (600 s more) still fits in 30 min, the 8th does not.
        Assert.Equal(TimeSpan.FromSeconds(15), policy.StoreRetryDelay(1));
        Assert.Equal(TimeSpan.FromMinutes(10), policy.StoreRetryDelay(7));
        Assert.Null(policy.StoreRetryDelay(8));
    }

    [Fact]
    public void Every_round_of_a_job_has_its_own_deterministic_message_id_and_the_first_keeps_the_first_versions_body()
    {
        var user = UserId.New();
        var id = FeatureRequest.NewId(Alpha, user, null);
        var first = new FeatureJob(Alpha, user, id);
        var third = first with { Round = 3 };
        var storeRetry = third with { StoreRetry = 2 };

        Assert.Equal(id, first.MessageId);
        Assert.Equal($"{id}-r3", third.MessageId);
        Assert.Equal($"{id}-r3-s2", storeRetry.MessageId);
        Assert.Equal($"{{\"tenant_id\":\"alpha\",\"user_id\":\"{user.Value}\",\"request_id\":\"{id}\"}}", first.ToJson());
        Assert.Equal(new JobMessage($"{id}-r3", third.ToJson(), Now), third.ToMessage(Now));

        Assert.True(FeatureJob.TryParse(storeRetry.ToJson(), out var parsed));
        Assert.Equal(storeRetry, parsed);
        Assert.True(FeatureJob.TryParse($"{{\"tenant_id\":\"alpha\",\"user_id\":\"{user.Value}\",\"request_id\":\"{id}\"}}", out var old));
        Assert.Equal(1, old!.Round); // a message of the first version is round 1
        foreach (var bad in new[] { "0", "-1", "100001", "\"2\"", "1.5" })
        {
            Assert.False(FeatureJob.TryParse(third.ToJson().Replace("\"round\":3", $"\"round\":{bad}", StringComparison.Ordinal), out _), bad);
        }

        Assert.False(FeatureJob.TryParse(storeRetry.ToJson().Replace("\"store_retry\":2", "\"store_retry\":-1", StringComparison.Ordinal), out _));
    }

    [Fact]
    public void The_job_for_a_request_is_the_message_of_its_current_round()
    {
        var request = Request(attempts: 2, retryBudgetFrom: Now) with { Round = 4 };

        var job = FeatureJob.For(request);

        Assert.Equal(4, job.Round);
        Assert.Equal(request.Id + "-r4", job.MessageId);
        Assert.Equal(1, FeatureJob.For(request with { Round = 0 }).Round); // a document without a round
    }
}
