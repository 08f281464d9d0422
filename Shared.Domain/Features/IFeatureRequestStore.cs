using Shared.Domain.Common;

namespace Shared.Domain.Features;

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

    /// <summary>
    /// Removes a request that never got its use (quota exhausted) if the stored request still has
    /// <paramref name="request"/>'s <see cref="FeatureRequest.Version"/>: false when it changed or went meanwhile (a
    /// concurrent submission with the same key reserved it, or removed it first).
    /// </summary>
    Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken);

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
