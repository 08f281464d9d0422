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

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of an offer id ("off_" and 32 lower-case hex digits). Route values are
    /// checked before any store read: an oversized id would exceed Cosmos DB's partition-key limit (a 400 from the store).
    /// </summary>
    public static bool IsId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: 36 } && id.StartsWith("off_", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
