namespace Shared.Domain.Marketplace;

/// <summary>
/// The score the rating sort uses: a Bayesian average, (PriorWeight × PriorMean + sum) / (PriorWeight + count), i.e.
/// every item starts with <see cref="PriorWeight"/> imaginary ratings of <see cref="PriorMean"/> stars. One 5-star rating
/// scores (30 + 5) / 11 ≈ 3.18; a hundred 4.8s score (30 + 480) / 110 ≈ 4.64, so few ratings cannot beat many good ones.
/// Kept in integer millionths so that stores compare and page on it exactly. It depends on the count and the sum only,
/// which lets the Cosmos adapter set it conditionally on those two (see the README's marketplace section).
/// </summary>
public static class ConfidenceScore
{
    public const long PriorWeight = 10;
    public const long PriorMean = 3;
    public const long Scale = 1_000_000;

    public static long Micros(long count, long sum) => ((PriorWeight * PriorMean) + sum) * Scale / (PriorWeight + count);
}
