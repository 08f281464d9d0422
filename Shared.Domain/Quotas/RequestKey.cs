using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Shared.Domain.Quotas;

/// <summary>
/// A client's idempotency key (request_id), stored only as a short lowercase hex digest so that any client
/// string is safe to use as a document property name and in a store's filter expression.
/// </summary>
public readonly record struct RequestKey
{
    public const int MaxRawLength = 128;

    private RequestKey(string hash) => Hash = hash;

    public string Hash { get; }

    public static bool TryCreate(string? requestId, [NotNullWhen(true)] out RequestKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(requestId) || requestId.Length > MaxRawLength || requestId.Any(char.IsControl))
        {
            return false;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(requestId));
        key = new RequestKey(Convert.ToHexStringLower(digest, 0, 16));
        return true;
    }

    /// <summary>Rebuilds a key from a stored hash (stores only).</summary>
    public static RequestKey FromHash(string hash)
    {
        if (hash is not { Length: 32 } || !hash.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException("Not a request key hash.", nameof(hash));
        }

        return new RequestKey(hash);
    }

    public override string ToString() => Hash;
}
