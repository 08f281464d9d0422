using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.DataSharing;

/// <summary>
/// Raw events of opted-in users, kept only until the night's release has used them (then deleted) or, at the latest,
/// for <see cref="DataSharingOptions.RetentionHours"/>. Every call is scoped to one tenant.
/// </summary>
public interface IDataSharingEventStore
{
    Task AddAsync(TenantId tenantId, IReadOnlyList<DataSharingEvent> events, CancellationToken cancellationToken);

    /// <summary>The tenant's events whose time falls on the UTC <paramref name="day"/>.</summary>
    Task<IReadOnlyList<DataSharingEvent>> ListDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Deletes the tenant's events of the UTC <paramref name="day"/>; how many were deleted.</summary>
    Task<int> DeleteDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Deletes all of one user's events in the tenant (opt-out); how many were deleted.</summary>
    Task<int> DeleteUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Deletes the tenant's events whose time is before <paramref name="cutoff"/> (the retention limit).</summary>
    Task<int> DeleteBeforeAsync(TenantId tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken);
}
