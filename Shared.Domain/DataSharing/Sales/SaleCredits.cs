namespace Shared.Domain.DataSharing.Sales;

/// <summary>
/// The profit-split rule (README, Data Sharing Program): a sale's amount is divided equally among the release's
/// contributors, and each is credited their profit split (50 or 100 %) of their part, rounded down to the minor unit:
/// <c>credit = floor(amount × split / (100 × contributors))</c>, computed in integers. The tenant keeps the rest: the
/// (100 − split) % of each part and every rounding remainder, so the credits never add up to more than the sale.
/// </summary>
public static class SaleCredits
{
    public static long For(long amountCents, int profitSplitPercent, int contributors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountCents);
        ArgumentOutOfRangeException.ThrowIfNegative(profitSplitPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(profitSplitPercent, 100);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contributors);
        return (long)(new System.Numerics.BigInteger(amountCents) * profitSplitPercent / (100 * new System.Numerics.BigInteger(contributors)));
    }
}
