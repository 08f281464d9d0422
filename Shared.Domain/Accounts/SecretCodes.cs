using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shared.Domain.Accounts;

/// <summary>
/// One-time codes and refresh tokens: made from the system's CSPRNG, stored only as hashes. A 6-digit code has a
/// million values, so its hash is salted per code (SHA-256 over salt and code) and guessing is bounded by the code's
/// attempt limit and lifetime, not by the hash. A refresh token is 256 random bits: an unsalted SHA-256 is enough and
/// lets the store find it by hash.
/// </summary>
public static class SecretCodes
{
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static string NewSalt() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string HashCode(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));

    public static bool CodeMatches(string salt, string storedHash, string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashCode(salt, code)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>Six ASCII digits, nothing else.</summary>
    public static bool IsWellFormedCode(string? code) => code is { Length: 6 } && code.All(c => c is >= '0' and <= '9');

    public static string NewRefreshToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Refresh tokens as issued: 43 base64url characters (256 bits).</summary>
    public static bool IsWellFormedRefreshToken(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    public static string NewFamilyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
