using System.Globalization;
using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One line of a creator's earnings ledger, keyed by its purchase and kind, so each is written once:
/// <c>{purchase}:sale</c>, and one reversal per refunded increment, <c>{purchase}:reversal:{cumulative refunded}</c>
/// (<see cref="RefundedThroughCents"/>; entries written before partial refunds were handled are
/// <c>{purchase}:reversal</c>, a whole reversal). <see cref="AmountCents"/> is signed: a reversal is negative.
/// </summary>
public sealed record EarningsEntry(TenantId TenantId, string PurchaseId, EarningsKind Kind, UserId CreatorId, string ItemId, long AmountCents, string Currency, DateTimeOffset CreatedAt, long? RefundedThroughCents = null)
{
    private const string ReversalMarker = ":reversal:";

    public string Id => PurchaseId + (Kind == EarningsKind.Sale ? ":sale" : RefundedThroughCents is { } through ? ReversalMarker + through.ToString(CultureInfo.InvariantCulture) : ":reversal");

    /// <summary>The cumulative refunded amount a stored entry id names (null for a sale or a whole reversal).</summary>
    public static long? RefundedThroughOf(string id)
    {
        var at = id.LastIndexOf(ReversalMarker, StringComparison.Ordinal);
        return at >= 0 && long.TryParse(id.AsSpan(at + ReversalMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var through) ? through : null;
    }
}
