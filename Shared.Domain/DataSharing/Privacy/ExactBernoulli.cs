namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Bernoulli trials with rational parameters, by integer arithmetic only: Canonne, Kamath and Steinke (2020), "The
/// Discrete Gaussian for Differential Privacy", NeurIPS 2020, arXiv:2004.00010, Algorithm 1. These are the building
/// blocks of <see cref="DiscreteLaplace"/>.
/// </summary>
public static class ExactBernoulli
{
    /// <summary>True with probability exactly <paramref name="numerator"/>/<paramref name="denominator"/> (0 ≤ n ≤ d).</summary>
    public static bool Sample(long numerator, long denominator, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        return random.NextInt64(denominator) < numerator;
    }

    /// <summary>True with probability exactly exp(−<paramref name="numerator"/>/<paramref name="denominator"/>).</summary>
    public static bool SampleExpMinus(long numerator, long denominator, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        if (numerator <= denominator)
        {
            // For γ ∈ [0, 1]: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, ... until the first failure at K; P(K odd) = exp(−γ).
            var k = 1L;
            while (Sample(numerator, checked(denominator * k), random))
            {
                k++;
            }

            return k % 2 == 1;
        }

        // For γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)), each factor an independent trial.
        var whole = numerator / denominator;
        for (var i = 0L; i < whole; i++)
        {
            if (!SampleExpMinus(1, 1, random))
            {
                return false;
            }
        }

        return SampleExpMinus(numerator % denominator, denominator, random);
    }
}
