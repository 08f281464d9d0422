using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>One user's rating of one item (one per user; a second one replaces it).</summary>
public sealed record ItemRating(TenantId TenantId, string ItemId, UserId UserId, int Stars, string? Review, DateTimeOffset UpdatedAt)
{
    public const int ReviewMax = 2000;
}
