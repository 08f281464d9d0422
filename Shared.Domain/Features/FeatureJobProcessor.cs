using Shared.Domain.Ai;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

/// <summary>
/// The worker side of a feature request. The stored request is the source of truth: a message for a finished request
/// does nothing, so however often a message is delivered there is at most one successful generation and one use.
/// The Functions host ignores a custom handler's Retry-After and redelivers a failed message at once (up to the
/// queue's max deliveries), so waiting is done here: a transient failure or our own rate limit completes the message
/// and schedules a new one (the request's next <see cref="FeatureRequest.Round"/>, its own message id) for later,
/// until <see cref="FeatureRetryPolicy"/> says the budget is spent; then the request fails and its use is given back.
/// </summary>
public sealed class FeatureJobProcessor(
    IFeatureRequestStore store,
    IQuotaStore quotas,
    IAiProvider ai,
    IJobQueue queue,
    FeatureRetryPolicy retries,
    TimeProvider time)
{
    public const string SystemPrompt =
        "You write Chrome extension features. Answer with one self-contained JavaScript content script that implements "
        + "the user's request, with short comments. Do not include explanations outside the code.";

    private readonly FailFeatureRequest _fail = new(store, quotas, time);

    public async Task<JobResult> ProcessAsync(FeatureJob job, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(job.TenantId, job.UserId, job.RequestId, cancellationToken);
        if (request is null)
        {
            return new JobResult(JobOutcome.NotFound);
        }

        if (request.IsFinished)
        {
            // The delivery that completed it may have stopped before settling (idempotent; frees the in-flight slot).
            await SettleIfCommittedAsync(request, cancellationToken);
            return new JobResult(JobOutcome.AlreadyFinished);
        }

        if (request.Reservation == ReservationState.Reserving)
        {
            return new JobResult(JobOutcome.AwaitingReservation);
        }

        if (job.Round != request.Round)
        {
            return await SupersededAsync(job, request, cancellationToken);
        }

        // The current round: a first delivery, or a redelivery after a worker died mid-attempt (then it runs again).
        var processing = await store.TryUpdateAsync(request.StartAttempt(time.GetUtcNow()), cancellationToken);
        if (processing is null)
        {
            return await AfterConflictAsync(job, "starting", cancellationToken);
        }

        AiCompletion completion;
        try
        {
            completion = await ai.CompleteAsync(new AiPrompt(request.TenantId, SystemPrompt, request.RequestText), cancellationToken);
        }
        catch (AiRateLimitExceededException e)
        {
            // Nothing reached the provider: the request goes back to what it was (no attempt counted) and waits; the
            // wait is not charged to the retry budget either.
            var now = time.GetUtcNow();
            var untouched = request.WithoutAttempt(processing);
            if (retries.NextAttemptAfterThrottle(request, now, e.RetryAfter) is not { } at)
            {
                return await FailFinallyAsync(untouched, "expired", e, cancellationToken);
            }

            return await RescheduleAsync(job, untouched.Defer(at, now), JobOutcome.Deferred, e, cancellationToken);
        }
        catch (AiProviderException e) when (e.Transient)
        {
            if (retries.NextAttemptAfterFailure(processing, time.GetUtcNow(), e.RetryAfter) is not { } at)
            {
                return await FailFinallyAsync(processing, "generation_failed", e, cancellationToken);
            }

            return await RescheduleAsync(job, processing.Reschedule(at, time.GetUtcNow()), JobOutcome.Rescheduled, e, cancellationToken);
        }
        catch (AiProviderException e)
        {
            // A bad request or a malformed answer: another attempt would get the same.
            return await FailFinallyAsync(processing, "generation_failed", e, cancellationToken);
        }

        var generatedBy = completion.Provider == "offline" ? "offline" : $"{completion.Provider}:{completion.Model}";
        var completed = await store.TryUpdateAsync(processing.Complete(completion.Text, generatedBy, time.GetUtcNow()), cancellationToken);
        if (completed is null)
        {
            return await AfterConflictAsync(job, "completing", cancellationToken);
        }

        await SettleIfCommittedAsync(completed, cancellationToken);
        return new JobResult(JobOutcome.Completed);
    }

    /// <summary>
    /// A completed request keeps its use: settling the reservation says so and takes it out of the user's in-flight
    /// count. Settling twice changes nothing; a settle that never happens stops counting after the reservation TTL.
    /// </summary>
    private async Task SettleIfCommittedAsync(FeatureRequest request, CancellationToken cancellationToken)
    {
        if (request.Reservation == ReservationState.Committed)
        {
            await quotas.SettleAsync(request.TenantId, request.UserId, request.ReservationKey, cancellationToken);
        }
    }

    /// <summary>
    /// The store could not be reached while handling <paramref name="job"/>, so the request cannot record a retry: the
    /// message itself comes back later (same round, next <see cref="FeatureJob.StoreRetry"/>, its own message id) on
    /// <paramref name="queueName"/>. Null once <see cref="FeatureRetryPolicy.StoreRetryDelay"/> says that budget is spent;
    /// the caller then lets the queue deliver the message again (and finally dead-letter it; the sweep and the
    /// reservation TTL still finish the request).
    /// </summary>
    public async Task<JobResult?> RetryWhenStoreIsBackAsync(string queueName, FeatureJob job, Exception cause, CancellationToken cancellationToken)
    {
        var next = job with { StoreRetry = job.StoreRetry + 1 };
        if (retries.StoreRetryDelay(next.StoreRetry) is not { } delay)
        {
            return null;
        }

        var at = time.GetUtcNow() + delay;
        await queue.SendAsync(queueName, [next.ToMessage(at)], cancellationToken);
        return new JobResult(JobOutcome.Rescheduled, cause, at);
    }

    /// <summary>
    /// Records <paramref name="waiting"/> (the next round, pending and due at its <see cref="FeatureRequest.NextAttemptAt"/>),
    /// then sends its message. Written first, so the stored request always knows the newest round; if the send fails (or
    /// the process dies before it), a redelivery of this message sends it again (<see cref="SupersededAsync"/>), and the
    /// sweep does once the attempt is overdue.
    /// </summary>
    private async Task<JobResult> RescheduleAsync(FeatureJob job, FeatureRequest waiting, JobOutcome outcome, Exception cause, CancellationToken cancellationToken)
    {
        var at = waiting.NextAttemptAt!.Value;
        var stored = await store.TryUpdateAsync(waiting, cancellationToken);
        if (stored is null)
        {
            return await AfterConflictAsync(job, "rescheduling", cancellationToken);
        }

        await queue.SendAsync(stored.Queue, [FeatureJob.For(stored).ToMessage(at)], cancellationToken);
        return new JobResult(outcome, cause, at);
    }

    /// <summary>
    /// A message of another round than the request's: a duplicate of one already handled, so nothing is generated. If it
    /// is the message whose handling scheduled the current round and that round has not started, the send may be what
    /// failed: send it again (same message id, so the queue drops it when it is there already).
    /// </summary>
    private async Task<JobResult> SupersededAsync(FeatureJob job, FeatureRequest request, CancellationToken cancellationToken)
    {
        if (job.Round == request.Round - 1 && request is { Status: FeatureRequestStatus.Pending, NextAttemptAt: { } at })
        {
            await queue.SendAsync(request.Queue, [FeatureJob.For(request).ToMessage(at > time.GetUtcNow() ? at : null)], cancellationToken);
        }

        return new JobResult(JobOutcome.Superseded);
    }

    private async Task<JobResult> FailFinallyAsync(FeatureRequest current, string reason, Exception cause, CancellationToken cancellationToken) =>
        await _fail.HandleAsync(current, reason, cancellationToken)
            ? new JobResult(JobOutcome.FailedFinally, cause)
            : new JobResult(JobOutcome.AlreadyFinished, cause);

    /// <summary>A conditional write lost: finished by a concurrent delivery or failed by a sweep (done), or changed otherwise (deliver again).</summary>
    private async Task<JobResult> AfterConflictAsync(FeatureJob job, string step, CancellationToken cancellationToken)
    {
        var now = await store.GetAsync(job.TenantId, job.UserId, job.RequestId, cancellationToken);
        return now is { IsFinished: true }
            ? new JobResult(JobOutcome.AlreadyFinished)
            : new JobResult(JobOutcome.Retry, new InvalidOperationException($"Feature request {job.RequestId} changed while {step}; retrying."));
    }
}
