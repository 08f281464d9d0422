using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>
/// The usage history kept when counters are reset: one <see cref="UsageArchiveEntry"/> per user and ended period.
/// Written by <see cref="IQuotaStore.RollOverAsync"/> in the same atomic step as the reset (so a period is archived
/// exactly once); read here, apart from the quota accounts, by whoever needs the history (admins, a user's data export).
/// </summary>
public interface IUsageArchive
{
    /// <summary>The user's archived period totals, oldest first.</summary>
    Task<IReadOnlyList<UsageArchiveEntry>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
