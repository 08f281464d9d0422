using Shared.Domain.Ai;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

public enum JobOutcome
{
    /// <summary>Generated and stored; the use is kept.</summary>
    Completed,

    /// <summary>The request was finished before (a repeated message): nothing done.</summary>
    AlreadyFinished,

    /// <summary>No such request (deleted, or a message for another store): nothing to do.</summary>
    NotFound,

    /// <summary>The request's use is not reserved yet (the API stopped half-way); the resend sweep finishes it and sends again.</summary>
    AwaitingReservation,

    /// <summary>
    /// Generation failed for good (a failure another attempt would repeat, the retry budget spent, or our own rate limit
    /// kept it waiting until its reservation would expire): the request failed and its use was given back.
    /// </summary>
    FailedFinally,

    /// <summary>A message of an older round (a duplicate of one already handled): nothing done.</summary>
    Superseded,

    /// <summary>A transient failure (provider throttled or down, store unreachable): the next attempt is scheduled as a new message.</summary>
    Rescheduled,

    /// <summary>Our own per-tenant AI rate limit said to wait: the same attempt is scheduled as a new message, the retry budget untouched.</summary>
    Deferred,

    /// <summary>
    /// Not handled (the request changed under it, or something unexpected): the message must be delivered again (a
    /// non-2xx answer), and the queue's delivery count guards against a message that always fails.
    /// </summary>
    Retry,
}

/// <summary>What one delivery did; <see cref="Cause"/> is the failure behind a retry or a final failure, <see cref="NextAttemptAt"/> when the scheduled message is due.</summary>
public sealed record JobResult(JobOutcome Outcome, Exception? Cause = null, DateTimeOffset? NextAttemptAt = null)
{
    /// <summary>The message is done with (answer 2xx, the host completes it); false: answer non-2xx so it is delivered again.</summary>
    public bool Succeeded => Outcome != JobOutcome.Retry;
}

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
        var started = time.GetUtcNow();
        var processing = await store.TryUpdateAsync(
            request with
            {
                Status = FeatureRequestStatus.Processing,
                Attempts = request.Attempts + 1,
                RetryBudgetFrom = request.RetryBudgetFrom ?? started,
                NextAttemptAt = null,
                UpdatedAt = started,
            },
            cancellationToken);
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
            if (retries.NextAttemptAfterThrottle(request, now, e.RetryAfter) is not { } at)
            {
                return await FailFinallyAsync(request with { Version = processing.Version }, "expired", e, cancellationToken);
            }

            var untouched = request with { Version = processing.Version, RetryBudgetFrom = request.RetryBudgetFrom + (at - now) };
            return await RescheduleAsync(untouched, JobOutcome.Deferred, at, e, cancellationToken);
        }
        catch (AiProviderException e) when (e.Transient)
        {
            if (retries.NextAttemptAfterFailure(processing, time.GetUtcNow(), e.RetryAfter) is not { } at)
            {
                return await FailFinallyAsync(processing, "generation_failed", e, cancellationToken);
            }

            return await RescheduleAsync(processing, JobOutcome.Rescheduled, at, e, cancellationToken);
        }
        catch (AiProviderException e)
        {
            // A bad request or a malformed answer: another attempt would get the same.
            return await FailFinallyAsync(processing, "generation_failed", e, cancellationToken);
        }

        var code = completion.Text.Length > FeatureRequest.MaxCodeLength ? completion.Text[..FeatureRequest.MaxCodeLength] : completion.Text;
        var finishedAt = time.GetUtcNow();
        var completed = await store.TryUpdateAsync(
            processing with
            {
                Status = FeatureRequestStatus.Completed,
                Reservation = ReservationState.Committed,
                GeneratedCode = code,
                GeneratedBy = completion.Provider == "offline" ? "offline" : $"{completion.Provider}:{completion.Model}",
                CompletedAt = finishedAt,
                UpdatedAt = finishedAt,
            },
            cancellationToken);
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
    /// Records the next round as pending and due at <paramref name="at"/>, then sends its message. Written first, so the
    /// stored request always knows the newest round; if the send fails (or the process dies before it), a redelivery of
    /// this message sends it again (<see cref="SupersededAsync"/>), and the sweep does once the attempt is overdue.
    /// </summary>
    private async Task<JobResult> RescheduleAsync(FeatureRequest current, JobOutcome outcome, DateTimeOffset at, Exception cause, CancellationToken cancellationToken)
    {
        var waiting = await store.TryUpdateAsync(
            current with { Status = FeatureRequestStatus.Pending, Round = current.Round + 1, NextAttemptAt = at, UpdatedAt = time.GetUtcNow() },
            cancellationToken);
        if (waiting is null)
        {
            return await AfterConflictAsync(FeatureJob.For(current), "rescheduling", cancellationToken);
        }

        await queue.SendAsync(waiting.Queue, [FeatureJob.For(waiting).ToMessage(at)], cancellationToken);
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
        await FailAsync(current, reason, cancellationToken)
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

    /// <summary>
    /// Fails the request and gives its use back: the release first (idempotent by the reservation key), then the request;
    /// if this stops in between, the expiry sweep repeats both and the release is not applied twice. Returns false when the
    /// request was finished by someone else meanwhile.
    /// </summary>
    public async Task<bool> FailAsync(FeatureRequest request, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (request.IsFinished)
            {
                return false;
            }

            if (request.Reservation is ReservationState.Held or ReservationState.Reserving)
            {
                // Any outcome will do: released now, released before, or nothing to give back (period over, never taken).
                await quotas.ReleaseAsync(request.TenantId, request.UserId, request.ReservationKey, time.GetUtcNow(), cancellationToken);
            }

            var failed = request with
            {
                Status = FeatureRequestStatus.Failed,
                Reservation = ReservationState.Released,
                FailureReason = reason,
                UpdatedAt = time.GetUtcNow(),
            };
            if (await store.TryUpdateAsync(failed, cancellationToken) is not null)
            {
                return true;
            }

            request = await store.GetAsync(request.TenantId, request.UserId, request.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Feature request {request.Id} disappeared while failing.");
        }

        throw new InvalidOperationException($"Feature request {request.Id} stayed contended while failing.");
    }
}
