using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>
/// A shopkeeper's offer to customers of some pin codes, valid from <see cref="ValidFrom"/> until (excluded)
/// <see cref="ValidUntil"/>. Only its shopkeeper changes it; customers like it (one like per customer, counted exactly).
/// </summary>
public sealed record Offer(
    string Id,
    TenantId TenantId,
    UserId ShopkeeperId,
    string Title,
    string? Description,
    int DiscountPercent,
    IReadOnlyList<string> PinCodes,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    long LikeCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether customers see it at <paramref name="now"/>: expiry is decided at read time, not by the sweep.</summary>
    public bool IsActiveAt(DateTimeOffset now) => ValidFrom <= now && now < ValidUntil;

    public static string NewId() => "off_" + Guid.NewGuid().ToString("N");
}
