using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The display names a page shows (creators, raters): one batched directory read per page
/// (<see cref="IUserDirectory.GetDisplayNamesAsync"/>; a page holds at most 100 users). Every distinct id is a key of
/// the answer; a user the directory does not find (unknown, erased) has a null name, like one who set none.
/// </summary>
public static class DisplayNames
{
    public static async Task<IReadOnlyDictionary<UserId, string?>> ReadAsync(IUserDirectory users, TenantId tenantId, IEnumerable<UserId> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        var distinct = userIds.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return new Dictionary<UserId, string?>();
        }

        var found = await users.GetDisplayNamesAsync(tenantId, distinct, cancellationToken);
        return distinct.ToDictionary(id => id, id => found.GetValueOrDefault(id));
    }
}
