using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

public interface IDataSharingStore
{
    Task SetAsync(DataSharingPreference preference, CancellationToken cancellationToken);

    Task<DataSharingPreference?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Users of the tenant who opted in, by user id, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<UserId>> ListOptedInAsync(TenantId tenantId, UserId? after, int max, CancellationToken cancellationToken);
}
