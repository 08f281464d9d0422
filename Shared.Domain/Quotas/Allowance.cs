namespace Shared.Domain.Quotas;

/// <summary>How many uses a plan grants per period; <see cref="Limit"/> null means unlimited.</summary>
public readonly record struct Allowance
{
    public Allowance(int? limit, ResetPeriod period)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "A limit cannot be negative.");
        }

        Limit = limit;
        Period = period;
    }

    public int? Limit { get; }

    public ResetPeriod Period { get; }

    public bool IsUnlimited => Limit is null;

    public static Allowance PerDay(int limit) => new(limit, ResetPeriod.Day);

    public static Allowance PerMonth(int limit) => new(limit, ResetPeriod.Month);

    public static Allowance Unlimited => new(null, ResetPeriod.Month);
}
