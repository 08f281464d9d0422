namespace Shared.Domain.Marketplace;

/// <summary>An item's ratings: how many, their sum and how many of each star (index 0 = one star). Exact, never estimated.</summary>
public sealed record RatingSummary(long Count, long Sum, IReadOnlyList<long> Histogram)
{
    public static RatingSummary Empty { get; } = new(0, 0, [0, 0, 0, 0, 0]);

    /// <summary>The plain average, for display; null without ratings.</summary>
    public double? Average => Count == 0 ? null : Math.Round((double)Sum / Count, 2);

    /// <summary>The confidence-aware score the rating sort uses.</summary>
    public long Score => ConfidenceScore.Micros(Count, Sum);
}
