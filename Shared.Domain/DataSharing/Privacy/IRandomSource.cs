namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Uniform random integers, the only randomness the release draws (noise and contribution sampling). Production uses
/// <see cref="CryptoRandomSource"/>; tests pass a seeded source so that statistical checks are reproducible.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="exclusiveMax"/>); <paramref name="exclusiveMax"/> ≥ 1.</summary>
    long NextInt64(long exclusiveMax);
}
