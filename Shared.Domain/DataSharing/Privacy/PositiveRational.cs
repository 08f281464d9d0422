namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// A positive fraction in lowest terms. Privacy parameters are held this way so that noise is sampled by integer
/// arithmetic alone (no floating-point value ever enters the sampler).
/// </summary>
public readonly record struct PositiveRational
{
    private PositiveRational(long numerator, long denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public long Numerator { get; }

    public long Denominator { get; }

    public double ToDouble() => (double)Numerator / Denominator;

    public static PositiveRational Create(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numerator, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        var gcd = Gcd(numerator, denominator);
        return new PositiveRational(numerator / gcd, denominator / gcd);
    }

    /// <summary>The exact value of a positive decimal with at most <paramref name="maxDecimals"/> decimal places.</summary>
    public static PositiveRational FromDecimal(decimal value, int maxDecimals = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, 0m);
        var normalized = value / 1.000000000000000000000000000000000m; // drops trailing zeros, so the scale is minimal
        if (normalized.Scale > maxDecimals)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"At most {maxDecimals} decimal places are supported.");
        }

        var denominator = checked((long)Math.Pow(10, normalized.Scale));
        var numerator = checked((long)(normalized * denominator));
        return Create(numerator, denominator);
    }

    /// <summary>This value times a positive integer, exactly.</summary>
    public PositiveRational Times(long factor) => Create(checked(Numerator * factor), Denominator);

    /// <summary>The reciprocal, exactly.</summary>
    public PositiveRational Reciprocal() => new(Denominator, Numerator);

    public override string ToString() => Denominator == 1 ? $"{Numerator}" : $"{Numerator}/{Denominator}";

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
