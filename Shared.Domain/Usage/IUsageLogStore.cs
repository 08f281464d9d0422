using Shared.Domain.Common;

namespace Shared.Domain.Usage;

public interface IUsageLogStore
{
    Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken);

    /// <summary>The user's records in [from, to), oldest first.</summary>
    Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
