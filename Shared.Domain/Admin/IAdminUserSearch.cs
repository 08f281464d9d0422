using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>
/// What admins read about a tenant's users beyond one user's record. Pages are ordered by user id and continue after
/// the last id returned (keyset), so a page boundary is stable while users are added or removed.
/// </summary>
public interface IAdminUserSearch
{
    /// <summary>
    /// Users whose verified or contact email starts with <paramref name="emailPrefix"/> (lower-case ASCII; empty: every
    /// user), with user id greater than <paramref name="after"/>, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<AdminUserSummary>> SearchAsync(TenantId tenantId, string emailPrefix, UserId? after, int max, CancellationToken cancellationToken);

    /// <summary>How many extension installations are linked to the user.</summary>
    Task<int> CountInstallationsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
