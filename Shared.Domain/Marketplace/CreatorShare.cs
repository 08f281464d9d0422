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
}
