using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.Tests.DataSharing.Privacy;

/// <summary>A reproducible <see cref="IRandomSource"/> for statistical tests (production uses <see cref="CryptoRandomSource"/>).</summary>
internal sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public long NextInt64(long exclusiveMax) => _random.NextInt64(exclusiveMax);
}
