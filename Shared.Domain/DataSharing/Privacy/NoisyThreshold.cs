namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Partition selection by a noisy threshold (Korolova, Kenthapadi, Mishra and Ntoulas 2009; Wilson et al. 2020,
/// "Differentially Private SQL with Bounded User Contribution"; Desfontaines, Voss, Gipson and Mandayam 2022,
/// "Differentially private partition selection"). A partition is released only when its noisy count c + X reaches
/// τ, and the released value is that same noisy count.
///
/// Derivation, for one user who contributes to at most L partitions, once each, and noise X ~ DLap(b), b = L/ε:
/// partitions the user shares with others change count by one each, at most L of them, so they cost ε (L1 sensitivity
/// L). A partition only the user is in exists with the user and not without, and is released with probability
/// q = P(1 + X ≥ τ) = P(X ≥ τ − 1) = p^(τ−1)/(1 + p), p = exp(−1/b). The user's presence is revealed by such partitions
/// with probability at most 1 − (1 − q)^L, so the table is (ε, δ)-DP when 1 − (1 − q)^L ≤ δ, i.e. q ≤ q* =
/// 1 − (1 − δ)^(1/L), i.e. τ ≥ 1 + b·ln(1/(q*·(1 + p))). τ is the least integer that satisfies it.
/// </summary>
public static class NoisyThreshold
{
    /// <summary>The least integer τ ≥ 1 for which a table with this noise and bound L is (ε, δ)-DP as derived above.</summary>
    public static long Derive(DiscreteLaplace noise, int maxPartitionsPerUser, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartitionsPerUser, 1);
        if (!(delta is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must lie in (0, 1).");
        }

        var perPartition = MaxSingleContributorProbability(maxPartitionsPerUser, delta);
        var p = noise.Decay;
        var b = noise.Scale.ToDouble();
        var estimate = Math.Max(1, 1 + (long)Math.Ceiling(b * Math.Log(1 / (perPartition * (1 + p)))));

        // The closed form is computed in floating point; step to the exact least τ whose tail meets the bound, so a
        // rounding error can neither loosen the guarantee (too small) nor cost accuracy for nothing (too large).
        while (estimate > 1 && SingleContributorReleaseProbability(noise, estimate - 1) <= perPartition)
        {
            estimate--;
        }

        while (SingleContributorReleaseProbability(noise, estimate) > perPartition)
        {
            estimate++;
        }

        return estimate;
    }

    /// <summary>q* = 1 − (1 − δ)^(1/L): the most a single-contributor partition may be released with.</summary>
    public static double MaxSingleContributorProbability(int maxPartitionsPerUser, double delta) =>
        -ExpM1(Log1P(-delta) / maxPartitionsPerUser);

    /// <summary>q = P(1 + X ≥ τ): the probability that a partition with exactly one contributor is released.</summary>
    public static double SingleContributorReleaseProbability(DiscreteLaplace noise, long threshold) =>
        noise.ProbabilityAtLeast(Math.Max(0, threshold - 1));

    /// <summary>The δ actually spent: 1 − (1 − q)^L, at most the configured δ.</summary>
    public static double EffectiveDelta(DiscreteLaplace noise, long threshold, int maxPartitionsPerUser) =>
        -ExpM1(maxPartitionsPerUser * Log1P(-SingleContributorReleaseProbability(noise, threshold)));

    // ln(1 + x) and exp(x) − 1 without the cancellation of the naive forms for the tiny x that δ values are.
    private static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x - (x * x / 2) + (x * x * x / 3) : Math.Log(1 + x);

    private static double ExpM1(double x) => Math.Abs(x) < 1e-4 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;
}
