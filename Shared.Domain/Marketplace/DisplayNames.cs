using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>The display names a page shows (creators, raters): each distinct user read once, all reads at once (a page holds at most 100).</summary>
public static class DisplayNames
{
    public static async Task<IReadOnlyDictionary<UserId, string?>> ReadAsync(IUserDirectory users, TenantId tenantId, IEnumerable<UserId> userIds, CancellationToken cancellationToken)
    {
        var distinct = userIds.Distinct().ToList();
        var accounts = await Task.WhenAll(distinct.Select(id => users.GetAsync(tenantId, id, cancellationToken)));
        return distinct.Zip(accounts).ToDictionary(p => p.First, p => p.Second?.DisplayName);
    }
}
