namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// The discrete Laplace distribution (two-sided geometric) on the integers with scale b: P(X = x) = (1 − p)/(1 + p) ·
/// p^|x| with p = exp(−1/b). Added to a count whose L1 sensitivity is Δ, scale b = Δ/ε gives ε-differential privacy
/// (Ghosh, Roughgarden and Sundararajan 2009). Sampled exactly with Canonne, Kamath and Steinke (2020) Algorithm 2:
/// only uniform integers and <see cref="ExactBernoulli"/> trials, so no floating-point value is drawn and none can leak
/// through its low bits (Mironov 2012, "On Significance of the Least Significant Bits for Differential Privacy").
/// The double-valued members describe the distribution for thresholds and tests; the sampler never uses them.
/// </summary>
public readonly record struct DiscreteLaplace
{
    public DiscreteLaplace(PositiveRational scale) => Scale = scale;

    /// <summary>b, as an exact fraction t/s.</summary>
    public PositiveRational Scale { get; }

    /// <summary>p = exp(−1/b), the ratio of neighbouring probabilities.</summary>
    public double Decay => Math.Exp(-1 / Scale.ToDouble());

    public double Variance => 2 * Decay / ((1 - Decay) * (1 - Decay));

    /// <summary>The scale for ε-DP on a query whose L1 sensitivity is <paramref name="l1Sensitivity"/>: b = Δ/ε.</summary>
    public static DiscreteLaplace ForSensitivity(int l1Sensitivity, PositiveRational epsilon) =>
        new(epsilon.Reciprocal().Times(l1Sensitivity));

    public double Probability(long x) => (1 - Decay) / (1 + Decay) * Math.Pow(Decay, Math.Abs((double)x));

    /// <summary>P(X ≥ k) for k ≥ 0, which is p^k/(1 + p); by symmetry P(|X| ≥ k) = 2·p^k/(1 + p) for k ≥ 1.</summary>
    public double ProbabilityAtLeast(long k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Math.Exp((k * Math.Log(Decay)) - Math.Log(1 + Decay));
    }

    /// <summary>One exact sample (CKS20 Algorithm 2 with b = t/s).</summary>
    public long Sample(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Scale.Numerator;
        var s = Scale.Denominator;
        while (true)
        {
            // X = U + t·V is geometric with P(X = x) ∝ exp(−x/t): U uniform on [0, t) accepted with probability
            // exp(−U/t), V geometric with P(V = v) ∝ exp(−v).
            var u = random.NextInt64(t);
            if (!ExactBernoulli.SampleExpMinus(u, t, random))
            {
                continue;
            }

            var v = 0L;
            while (ExactBernoulli.SampleExpMinus(1, 1, random))
            {
                v++;
            }

            var x = checked(u + (t * v));
            var y = x / s; // ⌊X/s⌋ is geometric with P(Y = y) ∝ exp(−y·s/t) = exp(−y/b)
            var negative = ExactBernoulli.Sample(1, 2, random);
            if (negative && y == 0)
            {
                continue; // −0 would count zero twice
            }

            return negative ? -y : y;
        }
    }
}
