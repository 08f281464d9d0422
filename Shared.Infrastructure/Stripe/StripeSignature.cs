using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shared.Infrastructure.Stripe;

public enum SignatureCheck
{
    Valid,
    MissingHeader,
    Malformed,
    NoSignature,
    Stale,
    Mismatch,
}

/// <summary>
/// Stripe's webhook signature scheme: header <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=…][,v0=…]</c>, where each v1 is
/// HMAC-SHA256 (key: the endpoint secret as UTF-8) of <c>"{t}.{raw body}"</c>. Any v1 may match any accepted secret
/// (two during a rotation); comparison is constant-time; the timestamp must be within the tolerance of now.
/// </summary>
public static class StripeSignature
{
    public const int DefaultToleranceSeconds = 300;
    public const string Header = "Stripe-Signature";

    public static SignatureCheck Verify(ReadOnlySpan<byte> payload, string? header, IReadOnlyList<string> secrets, DateTimeOffset now, int toleranceSeconds = DefaultToleranceSeconds)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.MissingHeader;
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return SignatureCheck.Malformed;
            }

            var (key, value) = (part[..separator].Trim(), part[(separator + 1)..].Trim());
            if (key == "t")
            {
                if (timestamp is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return SignatureCheck.Malformed;
                }

                timestamp = t;
            }
            else if (key == "v1" && value.Length == 64)
            {
                try
                {
                    signatures.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    return SignatureCheck.Malformed;
                }
            }
        }

        if (timestamp is null)
        {
            return SignatureCheck.Malformed;
        }

        if (signatures.Count == 0)
        {
            return SignatureCheck.NoSignature;
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = Compute(payload, secret, timestamp.Value);
            foreach (var candidate in signatures)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        if (!matched)
        {
            return SignatureCheck.Mismatch;
        }

        return Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > toleranceSeconds ? SignatureCheck.Stale : SignatureCheck.Valid;
    }

    /// <summary>A header as Stripe would send it (the local payment sandbox signs its events with this).</summary>
    public static string Sign(ReadOnlySpan<byte> payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Compute(payload, secret, timestamp))}";
    }

    private static byte[] Compute(ReadOnlySpan<byte> payload, string secret, long timestamp)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
