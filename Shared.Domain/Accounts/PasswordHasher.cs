using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shared.Domain.Accounts;

/// <summary>
/// Salted, slow password hashes: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;key, base64&gt;</c>.
/// The string carries everything needed to check it, so hashes made under older parameters stay readable and are
/// recognised as needing a rehash (<see cref="PasswordCheck.MatchNeedsRehash"/>). Comparison is constant-time.
/// </summary>
public sealed class PasswordHasher(PasswordHashOptions options) : IPasswordHasher
{
    public const string Algorithm = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;
    private const int MinIterations = 1_000;
    private const int MaxIterations = 10_000_000;

    public int Iterations { get; } = options.Iterations is >= MinIterations and <= MaxIterations
        ? options.Iterations
        : throw new ArgumentOutOfRangeException(nameof(options), options.Iterations, $"PBKDF2 iterations must be {MinIterations}–{MaxIterations}.");

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(password, salt, Iterations, KeyBytes);
        return string.Join('$', Algorithm, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    public PasswordCheck Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < MinIterations or > MaxIterations
            || !TryBase64(parts[2], out var salt) || !TryBase64(parts[3], out var expected) || expected.Length == 0)
        {
            return PasswordCheck.Mismatch;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Mismatch;
        }

        return iterations < Iterations || expected.Length < KeyBytes ? PasswordCheck.MatchNeedsRehash : PasswordCheck.Match;
    }

    public void WasteEqualTime(string password) => _ = Derive(password, new byte[SaltBytes], Iterations, KeyBytes);

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
