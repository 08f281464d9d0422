using Shared.Domain.DataSharing.Privacy;
using Xunit;

namespace Shared.Domain.Tests.DataSharing.Privacy;

/// <summary>
/// The sampler against its specification, P(X = x) = (1 − p)/(1 + p)·p^|x|: mean, variance, point masses and tails,
/// each within five standard errors of the estimate over a fixed number of seeded draws (so the check is reproducible
/// and a wrong sampler, e.g. one off by a factor in the scale, fails it).
/// </summary>
public sealed class DiscreteLaplaceTests
{
    private const int Draws = 200_000;

    [Theory]
    [InlineData(15, 2, 1)] // b = 7.5: the default sites table (L = 3, ε = 0.4)
    [InlineData(10, 1, 2)] // b = 10: the default kinds table (L = 2, ε = 0.2)
    [InlineData(1, 1, 3)] // b = 1
    [InlineData(1, 3, 4)] // b = 1/3: mostly zeros
    public void Samples_match_the_distributions_mean_variance_point_masses_and_tails(long t, long s, int seed)
    {
        var noise = new DiscreteLaplace(PositiveRational.Create(t, s));
        var random = new SeededRandomSource(seed);
        var samples = new long[Draws];
        for (var i = 0; i < Draws; i++)
        {
            samples[i] = noise.Sample(random);
        }

        var mean = samples.Average(x => (double)x);
        var variance = samples.Sum(x => (x - mean) * (x - mean)) / (Draws - 1);
        var sigma2 = noise.Variance;
        Assert.InRange(mean, -5 * Math.Sqrt(sigma2 / Draws), 5 * Math.Sqrt(sigma2 / Draws));

        // The fourth moment of the two-sided geometric is below 6σ⁴ + σ² (Laplace-like kurtosis), hence this standard error.
        var varianceError = Math.Sqrt(((6 * sigma2 * sigma2) + sigma2) / Draws);
        Assert.InRange(variance, sigma2 - (5 * varianceError), sigma2 + (5 * varianceError));

        foreach (var x in new long[] { 0, 1, -1, 3 })
        {
            AssertFrequency(samples.Count(v => v == x), noise.Probability(x));
        }

        foreach (var k in new[] { 1L, (long)Math.Ceiling(noise.Scale.ToDouble() * 2), (long)Math.Ceiling(noise.Scale.ToDouble() * 5) })
        {
            AssertFrequency(samples.Count(v => v >= k), noise.ProbabilityAtLeast(k));
            AssertFrequency(samples.Count(v => v <= -k), noise.ProbabilityAtLeast(k)); // symmetric
        }
    }

    [Fact]
    public void The_distribution_sums_to_one_and_its_tail_formula_agrees_with_summing_its_masses()
    {
        var noise = new DiscreteLaplace(PositiveRational.Create(15, 2));
        var total = Enumerable.Range(-2000, 4001).Sum(x => noise.Probability(x));
        Assert.Equal(1, total, 9);
        var tail = Enumerable.Range(20, 3000).Sum(x => noise.Probability(x));
        Assert.Equal(noise.ProbabilityAtLeast(20), tail, 9);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    public void Exact_bernoulli_exp_minus_gamma_is_true_with_probability_exp_minus_gamma(long numerator, long denominator)
    {
        var random = new SeededRandomSource((int)((numerator * 31) + denominator));
        var hits = 0;
        for (var i = 0; i < Draws; i++)
        {
            hits += ExactBernoulli.SampleExpMinus(numerator, denominator, random) ? 1 : 0;
        }

        AssertFrequency(hits, Math.Exp(-(double)numerator / denominator));
    }

    [Fact]
    public void The_scale_for_a_sensitivity_and_epsilon_is_exact()
    {
        var noise = DiscreteLaplace.ForSensitivity(3, PositiveRational.FromDecimal(0.4m));
        Assert.Equal(PositiveRational.Create(15, 2), noise.Scale);
        Assert.Equal("15/2", noise.Scale.ToString());
    }

    [Fact]
    public void The_secure_source_stays_in_range_and_covers_it()
    {
        var seen = new HashSet<long>();
        for (var i = 0; i < 2000; i++)
        {
            var v = CryptoRandomSource.Instance.NextInt64(7);
            Assert.InRange(v, 0, 6);
            seen.Add(v);
        }

        Assert.Equal(7, seen.Count);
        var big = CryptoRandomSource.Instance.NextInt64(long.MaxValue);
        Assert.InRange(big, 0, long.MaxValue - 1);
    }

    private static void AssertFrequency(int hits, double probability)
    {
        var error = 5 * Math.Sqrt(probability * (1 - probability) / Draws);
        var observed = (double)hits / Draws;
        Assert.True(Math.Abs(observed - probability) <= error + (1.0 / Draws), $"observed {observed}, expected {probability} ± {error}");
    }
}
