using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>A tenant's releases (its privacy ledger) and, per user, the releases their data went into.</summary>
public interface IDataSharingReleaseStore
{
    /// <summary>Every release of the tenant, oldest day first.</summary>
    Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>Stores a new release; false when the tenant already has one for that day (nothing changed).</summary>
    Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken);

    Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken);

    /// <summary>Records that these users' data went into the release of <paramref name="day"/>; repeating it changes nothing.</summary>
    Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken);

    Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
