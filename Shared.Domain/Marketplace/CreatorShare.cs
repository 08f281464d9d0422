namespace Shared.Domain.Marketplace;

/// <summary>
/// The creator's share of a sale in integer minor units: price × (10,000 − fee in basis points) / 10,000, rounded down
/// (the platform keeps the fraction of a minor unit, so the shares never add up to more than was paid).
/// </summary>
public static class CreatorShare
{
    public const int FullBasisPoints = 10_000;

    public static long Of(long priceCents, int feeBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priceCents);
        ArgumentOutOfRangeException.ThrowIfNegative(feeBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(feeBasisPoints, FullBasisPoints);
        return (long)(Int128.CreateChecked(priceCents) * (FullBasisPoints - feeBasisPoints) / FullBasisPoints);
    }

    /// <summary>
    /// The part of a sale's <paramref name="shareCents"/> given back once <paramref name="refundedCents"/> of its
    /// <paramref name="priceCents"/> were refunded (cumulative): share × refunded / price, rounded down, and the whole
    /// share once the refund reaches the price. Each refund increment reverses the difference between two such figures,
    /// so the reversals add up to exactly this: never more than the share, the whole share on a full refund (a 1-cent
    /// refund of a 1,001-cent sale whose share is 875 reverses 0; the remaining 1,000 then reverse 875).
    /// </summary>
    public static long Reversed(long shareCents, long priceCents, long refundedCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shareCents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priceCents);
        ArgumentOutOfRangeException.ThrowIfNegative(refundedCents);
        return refundedCents >= priceCents ? shareCents : (long)(Int128.CreateChecked(shareCents) * refundedCents / priceCents);
    }
}
