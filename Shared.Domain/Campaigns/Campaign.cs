using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>
/// A shopkeeper's campaign for an offer. Its audience is snapshotted once (<see cref="BatchCount"/> set, recipients
/// stored in numbered batches) at the prices of that moment (<see cref="Prices"/>); its cost is held once on the
/// shopkeeper's money wallet (<see cref="HoldKey"/>) and settled once (<see cref="Settled"/>): the delivered messages
/// are charged, the rest released. <see cref="Revision"/> is the store's version, for conditional replaces.
/// </summary>
public sealed record Campaign(
    string Id,
    TenantId TenantId,
    UserId ShopkeeperId,
    string OfferId,
    IReadOnlyList<string> PinCodes,
    IReadOnlyList<NotificationChannel> Channels,
    string Text,
    DateTimeOffset? ScheduledAt,
    CampaignStatus Status,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Revision = null)
{
    public int? BatchCount { get; init; }

    public long Audience { get; init; }

    public long Messages { get; init; }

    public long CostCents { get; init; }

    public CampaignPrices? Prices { get; init; }

    public long HeldCents { get; init; }

    public long Sent { get; init; }

    public long Failed { get; init; }

    public long Skipped { get; init; }

    public long ChargedCents { get; init; }

    public long ReleasedCents { get; init; }

    /// <summary>The hold is closed (charged and released, or released) and the figures are final.</summary>
    public bool Settled { get; init; }

    /// <summary>
    /// For a campaign created under an Idempotency-Key: a hash of the request it was created from, so a retry with the
    /// same key is told apart from another request reusing it. Null without a key.
    /// </summary>
    public string? RequestHash { get; init; }

    public string HoldKey => HoldKeyOf(Id);

    public WalletKey Wallet => new(TenantId, ShopkeeperId, WalletKind.Money);

    public static string HoldKeyOf(string campaignId) => "campaign:" + campaignId;

    public static string NewId() => "cmp_" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// The id of the campaign a shopkeeper creates under an Idempotency-Key: derived from (tenant, shopkeeper, key), so a
    /// retried POST finds the campaign of the first one instead of creating (and holding for) a second. Same shape as
    /// <see cref="NewId"/>.
    /// </summary>
    public static string IdFor(TenantId tenantId, UserId shopkeeper, IdempotencyKey key) =>
        "cmp_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tenantId.Value}\n{shopkeeper.Value}\n{key.Value}")), 0, 16);

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of a campaign id ("cmp_" and 32 lower-case hex digits), as
    /// <see cref="Offer.IsId"/>: route values and queue messages are checked before any store read (an oversized id would
    /// exceed Cosmos DB's partition-key limit, a 400 from the store).
    /// </summary>
    public static bool IsId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: 36 } && id.StartsWith("cmp_", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
