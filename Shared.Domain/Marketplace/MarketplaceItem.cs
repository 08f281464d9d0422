using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One item of a tenant's catalog. <see cref="DetailsVersion"/> guards the creator's and the admins' edits (details,
/// status) against each other; the counters are changed only by the stores' atomic install and rating operations.
/// </summary>
public sealed record MarketplaceItem
{
    public required string Id { get; init; }

    public required TenantId TenantId { get; init; }

    public required UserId CreatorId { get; init; }

    public required ItemDetails Details { get; init; }

    public required ItemStatus Status { get; init; }

    /// <summary>An admin verified it (auto-published items are published without being verified).</summary>
    public bool Verified { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Soft delete: gone from the catalog, but those who installed it keep it (and may still rate it).</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public long DetailsVersion { get; init; } = 1;

    /// <summary>Users who ever installed it (each once, never decremented).</summary>
    public long InstallCount { get; init; }

    /// <summary>Users who have it installed now (an uninstall decrements it, a reinstall increments it again).</summary>
    public long ActiveInstalls { get; init; }

    public RatingSummary Ratings { get; init; } = RatingSummary.Empty;

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>Anyone of the tenant can find and install it.</summary>
    public bool IsListed => Status == ItemStatus.Published && !IsDeleted;

    /// <summary>The value the store orders by for <paramref name="sort"/> (relevance groups are ordered by the score).</summary>
    public long SortKey(ItemSort sort) => sort switch
    {
        ItemSort.Installs => InstallCount,
        ItemSort.Newest => CreatedAt.ToUnixTimeMilliseconds(),
        _ => Ratings.Score,
    };
}
