using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Features;

public sealed class FeatureOptions
{
    /// <summary>A pending request not picked up after this long is sent again (the send may have failed).</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A request still unfinished this long after it was made fails as <c>expired</c> and its use is given back.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long generation is retried after a transient failure (provider throttled or down), counted from the first
    /// attempt: a retry is not scheduled past it, and the last one lands on its end. Waiting for our own per-tenant rate
    /// limit is not counted. Bounded in any case by <see cref="ReservationTtl"/>.
    /// </summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Generation attempts at most (a guard; normally <see cref="RetryBudget"/> ends the retries first).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The delay after the first failed attempt; it doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Feature requests one user may have in flight (pending or processing) at once; beyond it a submission answers 429
    /// <c>too_many_pending</c> with nothing stored or reserved, so one user cannot fill the tenant's AI capacity.
    /// </summary>
    public int MaxInFlightPerUser { get; set; } = 3;

    /// <summary>The in-flight cap as the quota store applies it: a reservation counts until settled, released or older than the reservation TTL.</summary>
    public InFlightLimit InFlightLimit => new(MaxInFlightPerUser, ReservationTtl);

    public int PageSizeDefault { get; set; } = 20;

    public int PageSizeMax { get; set; } = 100;

    /// <summary>Refuses settings that would fail every submission later (checked at start-up).</summary>
    public FeatureOptions Validate()
    {
        if (MaxInFlightPerUser < 1 || ReservationTtl <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Features:MaxInFlightPerUser must be at least 1 (was {MaxInFlightPerUser}) and Features:ReservationTtl positive (was {ReservationTtl}).");
        }

        return this;
    }
}

/// <summary>The outcome of a submission: the request, whether it was a repeat of an earlier one, and a send failure to report.</summary>
public sealed record SubmitResult(FeatureRequest Request, bool Repeated, Exception? SendFailure);

/// <summary>
/// AskDunzo's feature requests. Submitting stores the request first (pending), then reserves one use under the request's
/// key, then sends the job; a failed send leaves it pending for the resend sweep, so nothing is lost. Paid plans use the
/// priority queue.
/// </summary>
public sealed class FeatureRequestHandler(IFeatureRequestStore store, IQuotaStore quotas, IJobQueue queue, FeatureOptions options, TimeProvider time)
{
    public async Task<Result<SubmitResult>> SubmitAsync(Tenant tenant, UserId userId, string? requestText, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var text = requestText?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Error.Validation("request_text", "Describe the feature you want.");
        }

        if (text.Length > FeatureRequest.MaxTextLength)
        {
            return Error.Validation("request_text", $"At most {FeatureRequest.MaxTextLength} characters.");
        }

        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Error.Validation("request_text", "Must not contain control characters.");
        }

        if (idempotencyKey is { Length: 0 or > 128 } || (idempotencyKey?.Any(char.IsControl) ?? false))
        {
            return Error.Validation("Idempotency-Key", "At most 128 printable characters.");
        }

        var now = time.GetUtcNow();
        var request = new FeatureRequest
        {
            Id = FeatureRequest.NewId(tenant.Id, userId, idempotencyKey),
            TenantId = tenant.Id,
            UserId = userId,
            RequestText = text,
            Status = FeatureRequestStatus.Pending,
            Reservation = ReservationState.Reserving,
            Queue = QueueNames.AiGenerationStandard, // decided when the use is reserved, from the plan it is taken under
            CreatedAt = now,
            UpdatedAt = now,
        };

        if (!await store.TryCreateAsync(request, cancellationToken))
        {
            // A retried POST with the same Idempotency-Key: answer with the first request (finishing it if it was cut short).
            var existing = await store.GetAsync(tenant.Id, userId, request.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Feature request {request.Id} exists but cannot be read.");
            if (existing.RequestText != text)
            {
                return new Error(ErrorKind.Conflict, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
            }

            if (existing.Reservation != ReservationState.Reserving)
            {
                return new SubmitResult(existing, Repeated: true, SendFailure: null);
            }

            request = existing;
        }

        var reserved = await ReserveAsync(tenant, request, cancellationToken);
        if (!reserved.IsSuccess)
        {
            await store.DeleteAsync(tenant.Id, userId, request.Id, cancellationToken);
            return reserved.Error!;
        }

        return new SubmitResult(reserved.Value, Repeated: false, await TrySendAsync(reserved.Value, cancellationToken));
    }

    public async Task<Result<FeatureRequest>> GetAsync(TenantId tenantId, UserId userId, string? id, CancellationToken cancellationToken)
    {
        var request = FeatureRequest.IsWellFormedId(id) ? await store.GetAsync(tenantId, userId, id!, cancellationToken) : null;
        return request is null ? Error.NotFound("feature_request_not_found", "No such feature request for this user.") : request;
    }

    public async Task<Result<FeatureRequestPage>> ListAsync(TenantId tenantId, UserId userId, int? limit, string? continuation, CancellationToken cancellationToken)
    {
        var max = limit ?? options.PageSizeDefault;
        if (max < 1 || max > options.PageSizeMax)
        {
            return Error.Validation("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        if (continuation is { Length: > 4096 })
        {
            return Error.Validation("continuation", "Not a continuation token from this list.");
        }

        try
        {
            return await store.ListAsync(tenantId, userId, max, string.IsNullOrEmpty(continuation) ? null : continuation, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return Error.Validation("continuation", "Not a continuation token from this list.");
        }
    }

    /// <summary>
    /// Takes the request's use (idempotent: the reservation key makes a second attempt a replay), marks it held and
    /// picks its queue from the plan the use was taken under. Fails with <c>quota_exceeded</c> when no use is left,
    /// <c>too_many_pending</c> when the user holds <see cref="FeatureOptions.MaxInFlightPerUser"/> reservations already
    /// (both checked in the same atomic write as the use), or <c>user_not_found</c> when the user has no quota account;
    /// the request must not run then.
    /// </summary>
    public async Task<Result<FeatureRequest>> ReserveAsync(Tenant tenant, FeatureRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcome = await quotas.TryReserveAsync(request.TenantId, request.UserId, request.ReservationKey, options.InFlightLimit, now, cancellationToken);
        if (outcome is null)
        {
            return Error.NotFound("user_not_found", "No such user in this tenant.");
        }

        if (outcome.Kind == ReserveKind.QuotaExceeded)
        {
            return new Error(ErrorKind.TooManyRequests, "quota_exceeded", $"No uses left in this period; it resets at {outcome.Status.Period.End:O}.");
        }

        if (outcome.Kind == ReserveKind.TooManyPending)
        {
            return new Error(ErrorKind.TooManyRequests, "too_many_pending", $"At most {options.MaxInFlightPerUser} feature requests may be pending at once; wait for one to finish.");
        }

        var queue = IsPaid(tenant, outcome.Status.PlanId) ? QueueNames.AiGenerationPriority : QueueNames.AiGenerationStandard;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (request.Reservation != ReservationState.Reserving)
            {
                return request;
            }

            if (await store.TryUpdateAsync(request with { Reservation = ReservationState.Held, Queue = queue, UpdatedAt = now }, cancellationToken) is { } held)
            {
                return held;
            }

            request = await store.GetAsync(request.TenantId, request.UserId, request.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Feature request {request.Id} disappeared while being reserved.");
        }

        throw new InvalidOperationException($"Feature request {request.Id} stayed contended while being reserved.");
    }

    /// <summary>
    /// Sends the job of the request's current round (the first: the message id is the request id), so the queue drops a
    /// repeat; due at the request's scheduled attempt when that is still ahead. Returns the failure instead of throwing
    /// (the request stays pending).
    /// </summary>
    public async Task<Exception?> TrySendAsync(FeatureRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var due = request.NextAttemptAt > time.GetUtcNow() ? request.NextAttemptAt : null;
            await queue.SendAsync(request.Queue, [FeatureJob.For(request).ToMessage(due)], cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }

    /// <summary>A plan that costs money (any price above zero) gets the priority queue.</summary>
    public static bool IsPaid(Tenant tenant, PlanId planId) =>
        tenant.FindPlan(planId) is { } plan && !plan.IsDefault && (plan.PriceMonthly.MinorUnits > 0 || plan.PriceYearly.MinorUnits > 0 || plan.PriceLifetime.MinorUnits > 0);
}
