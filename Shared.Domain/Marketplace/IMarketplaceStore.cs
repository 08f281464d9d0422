using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The catalog, its installs and ratings. Installs and ratings keep the item's counters exact under concurrency: each
/// store documents how (SQLite: one transaction; Cosmos: a unique marker document, then atomic patches).
/// </summary>
public interface IMarketplaceStore
{
    Task CreateAsync(MarketplaceItem item, CancellationToken cancellationToken);

    Task<MarketplaceItem?> GetAsync(TenantId tenantId, string itemId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the item's details, status, verification and deletion (never its counters) if its details version is still
    /// <paramref name="expectedVersion"/>; false when someone changed them meanwhile.
    /// </summary>
    Task<bool> TrySaveDetailsAsync(MarketplaceItem item, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Items of the tenant that are published and not deleted, matching <paramref name="search"/>, in its order.</summary>
    Task<IReadOnlyList<MarketplaceItem>> FindAsync(TenantId tenantId, ItemSearch search, CancellationToken cancellationToken);

    /// <summary>Items of the tenant that are not deleted, of <see cref="ItemListing.CreatorId"/> and <see cref="ItemListing.Status"/> when set, newest first by (creation time, id).</summary>
    Task<IReadOnlyList<MarketplaceItem>> ListAsync(TenantId tenantId, ItemListing listing, CancellationToken cancellationToken);

    /// <summary>Installs the item for the user: counted once per user ever; a reinstall after an uninstall counts as active again.</summary>
    Task<InstallOutcome> InstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Uninstalls: the active count drops once; false when it was not installed (or already uninstalled).</summary>
    Task<bool> UninstallAsync(TenantId tenantId, string itemId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Whether the user ever installed the item (an uninstall does not undo having installed it).</summary>
    Task<bool> HasInstalledAsync(TenantId tenantId, string itemId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Stores the user's rating, replacing an earlier one, and moves the item's count, sum and histogram exactly once.</summary>
    Task<RatingSummary> RateAsync(ItemRating rating, CancellationToken cancellationToken);

    /// <summary>The item's ratings, most recently written first.</summary>
    Task<RatingPage> ListRatingsAsync(TenantId tenantId, string itemId, int max, RatingCursor? after, CancellationToken cancellationToken);
}
