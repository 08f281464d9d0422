using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// <see cref="IRandomSource"/> over the operating system's cryptographically secure generator: noise that an attacker
/// could predict or reconstruct from other outputs protects nobody.
/// </summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public static CryptoRandomSource Instance { get; } = new();

    public long NextInt64(long exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exclusiveMax, 1);
        if (exclusiveMax <= int.MaxValue)
        {
            return RandomNumberGenerator.GetInt32((int)exclusiveMax);
        }

        // Rejection sampling under the smallest covering power of two: no modulo bias.
        var mask = ulong.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount((ulong)(exclusiveMax - 1));
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var candidate = BinaryPrimitives.ReadUInt64LittleEndian(bytes) & mask;
            if (candidate < (ulong)exclusiveMax)
            {
                return (long)candidate;
            }
        }
    }
}
