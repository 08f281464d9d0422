using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

public enum FeatureRequestStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
}

/// <summary>The use a request holds: consumed under the request's key, then kept (committed) or given back (released).</summary>
public enum ReservationState
{
    /// <summary>Stored, the use not yet taken (the API is between storing and reserving, or crashed there).</summary>
    Reserving,

    /// <summary>One use is taken under <see cref="FeatureRequest.ReservationKey"/>; the job has not finished.</summary>
    Held,

    /// <summary>The job succeeded; the use stays consumed.</summary>
    Committed,

    /// <summary>The job failed for good; the use was given back.</summary>
    Released,
}

/// <summary>
/// An AskDunzo feature request: a user's text that the AI turns into code. The stored request is the source of truth
/// for the worker (a duplicate message finds it finished and does nothing). <see cref="Version"/> is the store's
/// concurrency token (ETag or row version); every change is written conditionally on it.
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

    /// <summary>A new id: time-ordered (UUIDv7), or derived from the client's idempotency key so a retried POST finds its first request.</summary>
    public static string NewId(TenantId tenantId, UserId userId, string? idempotencyKey) =>
        idempotencyKey is null
            ? "fr_" + Guid.CreateVersion7().ToString("N")
            : "fr_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId.Value}\n{userId.Value}\n{idempotencyKey}")), 0, 16);

    public static bool IsWellFormedId(string? id) =>
        id is { Length: 35 } && id.StartsWith("fr_", StringComparison.Ordinal) && !id.AsSpan(3).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}

/// <summary>One page of a user's requests, newest first; <see cref="Continuation"/> fetches the next page (null at the end).</summary>
public sealed record FeatureRequestPage(IReadOnlyList<FeatureRequest> Items, string? Continuation);

/// <summary>A continuation token the store cannot read (tampered, or from another list).</summary>
public sealed class InvalidContinuationException(string message) : Exception(message);

/// <summary>Stored feature requests; all writes but creation are conditional on the version read.</summary>
public interface IFeatureRequestStore
{
    /// <summary>Stores a new request; false when one with that id exists already (a retried submission).</summary>
    Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken);

    Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="updated"/> if the stored request still has <paramref name="updated"/>'s <see cref="FeatureRequest.Version"/>:
    /// the stored request with its new version, or null when it changed meanwhile.
    /// </summary>
    Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken);

    /// <summary>Removes a request that never got its use (quota exhausted).</summary>
    Task DeleteAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken);

    /// <summary>The user's requests, newest first. Throws <see cref="InvalidContinuationException"/> for a token it did not issue.</summary>
    Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken);

    /// <summary>
    /// Unfinished requests of the tenant last changed before <paramref name="updatedBefore"/> and not waiting for a
    /// retry scheduled at or after it (<see cref="FeatureRequest.NextAttemptAt"/>), for the sweeps, oldest change first.
    /// </summary>
    Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken);

    /// <summary>Requests of the tenant created in [from, to), any status, for aggregation.</summary>
    Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
