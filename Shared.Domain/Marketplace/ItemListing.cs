using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One store query of a listing (<see cref="MarketplaceListings"/>): the tenant's items that are not deleted, of one
/// creator or all, of one status or any, newest first by (creation time, id), continuing after
/// (<see cref="AfterCreatedMs"/>, <see cref="AfterId"/>) (keyset paging).
/// </summary>
public sealed record ItemListing
{
    public UserId? CreatorId { get; init; }

    public ItemStatus? Status { get; init; }

    public long? AfterCreatedMs { get; init; }

    public string? AfterId { get; init; }

    public required int Limit { get; init; }
}
