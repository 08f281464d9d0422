using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

/// <summary>
/// An AskDunzo feature request: a user's text that the AI turns into code. The stored request is the source of truth
/// for the worker (a duplicate message finds it finished and does nothing). <see cref="Version"/> is the store's
/// concurrency token (ETag or row version); every change is written conditionally on it.
/// <para>
/// It changes state only through its intent methods (<see cref="Reserve"/>, <see cref="StartAttempt"/>,
/// <see cref="Complete"/>, <see cref="Fail"/>, <see cref="Reschedule"/>, <see cref="Defer"/>, <see cref="MarkResent"/>),
/// each returning the new state and refusing a transition the life cycle does not have (a finished request is never
/// completed, failed or rescheduled again). The init properties stay public so that stores can rebuild a request
/// from their documents and rows.
/// </para>
/// </summary>
public sealed record FeatureRequest
{
    public const int MaxTextLength = 4000;
    public const int MaxCodeLength = 200_000;

    public required string Id { get; init; }

    public required TenantId TenantId { get; init; }

    public required UserId UserId { get; init; }

    public required string RequestText { get; init; }

    public required FeatureRequestStatus Status { get; init; }

    public required ReservationState Reservation { get; init; }

    /// <summary>The queue the job travels on (paid plans: the priority queue).</summary>
    public required string Queue { get; init; }

    public string? GeneratedCode { get; init; }

    /// <summary>"offline" or the model that generated the code.</summary>
    public string? GeneratedBy { get; init; }

    /// <summary>Why it failed (a stable code such as <c>generation_failed</c>, <c>expired</c>, <c>quota_exceeded</c>).</summary>
    public string? FailureReason { get; init; }

    /// <summary>Generation attempts made (each counts against the retry budget; waiting for our own rate limit does not).</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// Where the retry budget (<see cref="FeatureOptions.RetryBudget"/>) runs from: the start of the first generation
    /// attempt, moved later by every wait for our own rate limit after it (waiting is not charged to the budget).
    /// </summary>
    public DateTimeOffset? RetryBudgetFrom { get; init; }

    /// <summary>
    /// The round of the newest message sent for this request: 1 for the submission's; every retry or wait the worker
    /// schedules is the next round, with its own message id (<see cref="FeatureJob.MessageId"/>). Only a message of
    /// this round is acted on; an older one is a duplicate.
    /// </summary>
    public int Round { get; init; } = 1;

    /// <summary>When the scheduled message of <see cref="Round"/> is due; null when none is scheduled. The sweep leaves a request alone until then.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>
    /// What the request asks for, from the closed list the data-sharing release counts (<see cref="FeatureRequestCategorizer"/>,
    /// keywords), assigned once at submission and never changed. Null only for requests stored before categories were.
    /// </summary>
    public FeatureCategory? Category { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string Version { get; init; } = "";

    public bool IsFinished => Status is FeatureRequestStatus.Completed or FeatureRequestStatus.Failed;

    /// <summary>
    /// The key the reservation is taken under (reservation kind, scoped to the tenant and user), so reserving twice takes
    /// one use and releasing twice gives back one, and no identify request id can ever stand for it.
    /// </summary>
    public RequestKey ReservationKey => RequestKey.ForReservation(TenantId, UserId, Id);

    /// <summary>
    /// A new request, stored before its use is reserved: pending, reservation not taken yet, on the standard queue until
    /// the reservation picks the queue from the plan the use is taken under.
    /// </summary>
    public static FeatureRequest Submit(TenantId tenantId, UserId userId, FeatureRequestText text, IdempotencyKey? idempotencyKey, DateTimeOffset now) => new()
    {
        Id = NewId(tenantId, userId, idempotencyKey?.Value),
        TenantId = tenantId,
        UserId = userId,
        RequestText = text.Value,
        Category = FeatureRequestCategorizer.CategorizeFeatureRequest(text.Value),
        Status = FeatureRequestStatus.Pending,
        Reservation = ReservationState.Reserving,
        Queue = QueueNames.AiGenerationStandard,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Its use was taken: the reservation is held, and the job goes on <paramref name="queue"/>.</summary>
    public FeatureRequest Reserve(string queue, DateTimeOffset now)
    {
        Require(Reservation == ReservationState.Reserving, "reserved");
        return this with { Reservation = ReservationState.Held, Queue = queue, UpdatedAt = now };
    }

    /// <summary>A worker starts a generation attempt: processing, one more attempt counted, the retry budget running from the first.</summary>
    public FeatureRequest StartAttempt(DateTimeOffset now)
    {
        Require(!IsFinished && Reservation == ReservationState.Held, "attempted");
        return this with
        {
            Status = FeatureRequestStatus.Processing,
            Attempts = Attempts + 1,
            RetryBudgetFrom = RetryBudgetFrom ?? now,
            NextAttemptAt = null,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The attempt produced <paramref name="code"/> (cut to <see cref="MaxCodeLength"/>): completed, and the use is kept
    /// (the reservation is committed). Only a request whose attempt is running can complete.
    /// </summary>
    public FeatureRequest Complete(string code, string generatedBy, DateTimeOffset now)
    {
        Require(Status == FeatureRequestStatus.Processing, "completed");
        return this with
        {
            Status = FeatureRequestStatus.Completed,
            Reservation = ReservationState.Committed,
            GeneratedCode = code.Length > MaxCodeLength ? code[..MaxCodeLength] : code,
            GeneratedBy = generatedBy,
            CompletedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Failed for good with a stable <paramref name="reason"/>; the use is given back (the caller releases it first).</summary>
    public FeatureRequest Fail(string reason, DateTimeOffset now)
    {
        Require(!IsFinished, "failed");
        return this with { Status = FeatureRequestStatus.Failed, Reservation = ReservationState.Released, FailureReason = reason, UpdatedAt = now };
    }

    /// <summary>The running attempt failed transiently: pending again, the next round due at <paramref name="at"/>.</summary>
    public FeatureRequest Reschedule(DateTimeOffset at, DateTimeOffset now)
    {
        Require(Status == FeatureRequestStatus.Processing, "rescheduled");
        return this with { Status = FeatureRequestStatus.Pending, Round = Round + 1, NextAttemptAt = at, UpdatedAt = now };
    }

    /// <summary>
    /// This request as it was before <paramref name="started"/> (its stored state after <see cref="StartAttempt"/>) began:
    /// the attempt is not counted, and <paramref name="started"/>'s version is kept so the next conditional write applies.
    /// </summary>
    public FeatureRequest WithoutAttempt(FeatureRequest started)
    {
        if (started.Id != Id)
        {
            throw new ArgumentException($"Feature request {started.Id} is not {Id}.", nameof(started));
        }

        return this with { Version = started.Version };
    }

    /// <summary>
    /// Our own rate limit refused the attempt before it reached the provider: pending, the next round due at
    /// <paramref name="at"/>, and the wait not charged to the retry budget (its start moves by the wait).
    /// </summary>
    public FeatureRequest Defer(DateTimeOffset at, DateTimeOffset now)
    {
        Require(!IsFinished, "deferred");
        return this with
        {
            RetryBudgetFrom = RetryBudgetFrom + (at - now),
            Status = FeatureRequestStatus.Pending,
            Round = Round + 1,
            NextAttemptAt = at,
            UpdatedAt = now,
        };
    }

    /// <summary>The sweep sends its message again: marked as looked at, so a rerun or a restart moves on to the rest.</summary>
    public FeatureRequest MarkResent(DateTimeOffset now)
    {
        Require(Status == FeatureRequestStatus.Pending, "resent");
        return this with { UpdatedAt = now };
    }

    /// <summary>A new id: time-ordered (UUIDv7), or derived from the client's idempotency key so a retried POST finds its first request.</summary>
    public static string NewId(TenantId tenantId, UserId userId, string? idempotencyKey) =>
        idempotencyKey is null
            ? "fr_" + Guid.CreateVersion7().ToString("N")
            : "fr_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId.Value}\n{userId.Value}\n{idempotencyKey}")), 0, 16);

    public static bool IsWellFormedId(string? id) =>
        id is { Length: 35 } && id.StartsWith("fr_", StringComparison.Ordinal) && !id.AsSpan(3).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private void Require(bool allowed, string transition)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"Feature request {Id} ({Status}, reservation {Reservation}) cannot be {transition}.");
        }
    }
}
