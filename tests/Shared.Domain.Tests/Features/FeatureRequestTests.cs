using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Xunit;

namespace Shared.Domain.Tests;

/// <summary>The feature request's life cycle through its intent methods, and the transitions it refuses.</summary>
public sealed class FeatureRequestTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.New();

    private static FeatureRequest Submitted(string? key = null) =>
        FeatureRequest.Submit(Alpha, User, FeatureRequestText.Parse("  Count words  "), key is null ? null : Key(key), T0);

    private static IdempotencyKey Key(string raw) => IdempotencyKey.TryCreate(raw, out var key, out _) ? key : throw new ArgumentException(raw);

    private static FeatureRequest Processing() => Submitted().Reserve(QueueNames.AiGenerationPriority, T0.AddSeconds(1)).StartAttempt(T0.AddSeconds(2));

    [Fact]
    public void A_submitted_request_is_pending_unreserved_on_the_standard_queue_with_its_text_trimmed()
    {
        var request = Submitted();

        Assert.Equal(FeatureRequestStatus.Pending, request.Status);
        Assert.Equal(ReservationState.Reserving, request.Reservation);
        Assert.Equal(QueueNames.AiGenerationStandard, request.Queue);
        Assert.Equal("Count words", request.RequestText);
        Assert.Equal(1, request.Round);
        Assert.Equal(0, request.Attempts);
        Assert.Equal(T0, request.CreatedAt);
        Assert.Equal(T0, request.UpdatedAt);
        Assert.True(FeatureRequest.IsWellFormedId(request.Id));
        Assert.Equal(FeatureRequest.NewId(Alpha, User, "k1"), Submitted("k1").Id); // the idempotency key names the request
    }

    [Fact]
    public void Reserving_holds_the_use_and_picks_the_queue_once()
    {
        var held = Submitted().Reserve(QueueNames.AiGenerationPriority, T0.AddSeconds(1));

        Assert.Equal(ReservationState.Held, held.Reservation);
        Assert.Equal(QueueNames.AiGenerationPriority, held.Queue);
        Assert.Equal(T0.AddSeconds(1), held.UpdatedAt);
        Assert.Throws<InvalidOperationException>(() => held.Reserve(QueueNames.AiGenerationStandard, T0.AddSeconds(2)));
    }

    [Fact]
    public void An_attempt_needs_a_held_reservation_and_counts_from_the_first()
    {
        Assert.Throws<InvalidOperationException>(() => Submitted().StartAttempt(T0)); // not reserved yet

        var first = Processing();
        Assert.Equal(FeatureRequestStatus.Processing, first.Status);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(T0.AddSeconds(2), first.RetryBudgetFrom);
        Assert.Null(first.NextAttemptAt);

        var second = first.Reschedule(T0.AddMinutes(1), T0.AddSeconds(3)).StartAttempt(T0.AddMinutes(1));
        Assert.Equal(2, second.Attempts);
        Assert.Equal(T0.AddSeconds(2), second.RetryBudgetFrom); // the budget runs from the first attempt
    }

    [Fact]
    public void Completing_keeps_the_use_cuts_the_code_and_finishes_the_request()
    {
        var code = new string('x', FeatureRequest.MaxCodeLength + 10);
        var completed = Processing().Complete(code, "openai:gpt", T0.AddMinutes(1));

        Assert.Equal(FeatureRequestStatus.Completed, completed.Status);
        Assert.Equal(ReservationState.Committed, completed.Reservation);
        Assert.Equal(FeatureRequest.MaxCodeLength, completed.GeneratedCode!.Length);
        Assert.Equal("openai:gpt", completed.GeneratedBy);
        Assert.Equal(T0.AddMinutes(1), completed.CompletedAt);
        Assert.True(completed.IsFinished);
    }

    [Fact]
    public void Only_a_running_attempt_completes_or_is_rescheduled()
    {
        var held = Submitted().Reserve(QueueNames.AiGenerationStandard, T0);
        Assert.Throws<InvalidOperationException>(() => held.Complete("code", "offline", T0));
        Assert.Throws<InvalidOperationException>(() => held.Reschedule(T0.AddMinutes(1), T0));

        var completed = Processing().Complete("code", "offline", T0.AddMinutes(1));
        Assert.Throws<InvalidOperationException>(() => completed.Complete("again", "offline", T0.AddMinutes(2)));
    }

    [Fact]
    public void Failing_gives_the_use_back_with_a_reason_and_a_finished_request_cannot_fail_or_wait_again()
    {
        var failed = Processing().Fail("generation_failed", T0.AddMinutes(1));

        Assert.Equal(FeatureRequestStatus.Failed, failed.Status);
        Assert.Equal(ReservationState.Released, failed.Reservation);
        Assert.Equal("generation_failed", failed.FailureReason);
        Assert.Equal(T0.AddMinutes(1), failed.UpdatedAt);
        Assert.Equal(ReservationState.Released, Submitted().Fail("expired", T0.AddHours(1)).Reservation); // a never-reserved request fails too

        Assert.Throws<InvalidOperationException>(() => failed.Fail("expired", T0.AddMinutes(2)));
        Assert.Throws<InvalidOperationException>(() => failed.Defer(T0.AddMinutes(3), T0.AddMinutes(2)));
        Assert.Throws<InvalidOperationException>(() => failed.StartAttempt(T0.AddMinutes(2)));
        Assert.Throws<InvalidOperationException>(() => Processing().Complete("code", "offline", T0).Fail("expired", T0));
    }

    [Fact]
    public void Rescheduling_starts_the_next_round_pending_and_due_later()
    {
        var waiting = Processing().Reschedule(T0.AddMinutes(5), T0.AddMinutes(1));

        Assert.Equal(FeatureRequestStatus.Pending, waiting.Status);
        Assert.Equal(2, waiting.Round);
        Assert.Equal(T0.AddMinutes(5), waiting.NextAttemptAt);
        Assert.Equal(T0.AddMinutes(1), waiting.UpdatedAt);
        Assert.Equal(1, waiting.Attempts);
    }

    [Fact]
    public void Deferring_for_our_own_rate_limit_does_not_count_the_attempt_nor_charge_the_wait_to_the_budget()
    {
        var before = Submitted().Reserve(QueueNames.AiGenerationStandard, T0).StartAttempt(T0).Reschedule(T0.AddMinutes(1), T0.AddSeconds(10));
        var started = before.StartAttempt(T0.AddMinutes(1)) with { Version = "v7" }; // as the store returns it

        var deferred = before.WithoutAttempt(started).Defer(T0.AddMinutes(3), T0.AddMinutes(1));

        Assert.Equal("v7", deferred.Version); // the next conditional write applies to what is stored
        Assert.Equal(1, deferred.Attempts);
        Assert.Equal(T0.AddMinutes(2), deferred.RetryBudgetFrom); // moved by the two-minute wait
        Assert.Equal(FeatureRequestStatus.Pending, deferred.Status);
        Assert.Equal(3, deferred.Round);
        Assert.Equal(T0.AddMinutes(3), deferred.NextAttemptAt);
        Assert.Throws<ArgumentException>(() => before.WithoutAttempt(Processing()));
    }

    [Fact]
    public void The_sweep_marks_only_a_pending_request_as_resent()
    {
        var pending = Submitted().Reserve(QueueNames.AiGenerationStandard, T0);
        var resent = pending.MarkResent(T0.AddMinutes(10));

        Assert.Equal(T0.AddMinutes(10), resent.UpdatedAt);
        Assert.Equal(pending with { UpdatedAt = T0.AddMinutes(10) }, resent);
        Assert.Throws<InvalidOperationException>(() => Processing().MarkResent(T0.AddMinutes(10)));
    }
}
