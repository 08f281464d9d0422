using Shared.Domain.Ai;
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

    /// <summary>Generation failed on the last allowed delivery: the request failed and its use was given back.</summary>
    FailedFinally,
}

/// <summary>What one delivery did; <see cref="Failure"/> is set when the message must be retried (or dead-lettered after the last delivery).</summary>
public sealed record JobResult(JobOutcome? Outcome, Exception? Failure, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// The worker side of a feature request. The stored request is the source of truth: a message for a finished request
/// does nothing, so however often a message is delivered there is at most one successful generation and one use.
/// On the last delivery a failure marks the request failed and gives the use back, and the message is still reported
/// as failed so the queue dead-letters it (kept for inspection).
/// </summary>
public sealed class FeatureJobProcessor(IFeatureRequestStore store, IQuotaStore quotas, IAiProvider ai, FeatureOptions options, TimeProvider time)
{
    public const string SystemPrompt =
        "You write Chrome extension features. Answer with one self-contained JavaScript content script that implements "
        + "the user's request, with short comments. Do not include explanations outside the code.";

    public async Task<JobResult> ProcessAsync(FeatureJob job, int deliveryCount, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(job.TenantId, job.UserId, job.RequestId, cancellationToken);
        if (request is null)
        {
            return new JobResult(JobOutcome.NotFound, null);
        }

        if (request.IsFinished)
        {
            return new JobResult(JobOutcome.AlreadyFinished, null);
        }

        if (request.Reservation == ReservationState.Reserving)
        {
            return new JobResult(JobOutcome.AwaitingReservation, null);
        }

        var processing = await store.TryUpdateAsync(request with { Status = FeatureRequestStatus.Processing, Attempts = request.Attempts + 1, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        if (processing is null)
        {
            // Changed meanwhile: finished by a concurrent delivery, or failed by a sweep.
            var now = await store.GetAsync(job.TenantId, job.UserId, job.RequestId, cancellationToken);
            return now is { IsFinished: true }
                ? new JobResult(JobOutcome.AlreadyFinished, null)
                : new JobResult(null, new InvalidOperationException($"Feature request {job.RequestId} changed while starting; retrying."));
        }

        AiCompletion completion;
        try
        {
            completion = await ai.CompleteAsync(new AiPrompt(request.TenantId, SystemPrompt, request.RequestText), cancellationToken);
        }
        catch (AiProviderException e)
        {
            if (deliveryCount >= options.MaxDeliveries)
            {
                await FailAsync(processing, "generation_failed", cancellationToken);
                return new JobResult(JobOutcome.FailedFinally, e);
            }

            return new JobResult(null, e, e.RetryAfter);
        }

        var code = completion.Text.Length > FeatureRequest.MaxCodeLength ? completion.Text[..FeatureRequest.MaxCodeLength] : completion.Text;
        var at = time.GetUtcNow();
        var completed = await store.TryUpdateAsync(
            processing with
            {
                Status = FeatureRequestStatus.Completed,
                Reservation = ReservationState.Committed,
                GeneratedCode = code,
                GeneratedBy = completion.Provider == "offline" ? "offline" : $"{completion.Provider}:{completion.Model}",
                CompletedAt = at,
                UpdatedAt = at,
            },
            cancellationToken);
        if (completed is not null)
        {
            return new JobResult(JobOutcome.Completed, null);
        }

        var current = await store.GetAsync(job.TenantId, job.UserId, job.RequestId, cancellationToken);
        return current is { IsFinished: true }
            ? new JobResult(JobOutcome.AlreadyFinished, null)
            : new JobResult(null, new InvalidOperationException($"Feature request {job.RequestId} changed while completing; retrying."));
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
