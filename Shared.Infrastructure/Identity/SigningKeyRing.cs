using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// The app's HS256 keys, read through the secret provider on every use (Key Vault caches them for a while) and
/// turned into key objects only when a secret's value changes: <c>jwt-signing-key</c> signs,
/// <c>jwt-signing-key-previous</c> is still accepted, so the key can be rotated without logging everyone out. Each key
/// carries a key id derived from it (a truncated hash), so a validator picks the right one at once.
/// </summary>
public sealed class SigningKeyRing(ISecretProvider secrets)
{
    public const int MinimumKeyBytes = 32;
    private static readonly byte[] LinkKeyInfo = Encoding.UTF8.GetBytes("serverless-backend upgrade-link token key v1");
    private volatile Cached? _cached;

    public async ValueTask<SigningKeys> GetAsync(CancellationToken cancellationToken)
    {
        var current = await secrets.GetAsync(SecretNames.JwtSigningKey, cancellationToken);
        var previous = await secrets.FindAsync(SecretNames.JwtSigningKeyPrevious, cancellationToken);
        var cached = _cached;
        if (cached is not null && cached.Current == current && cached.Previous == previous)
        {
            return cached.Keys;
        }

        var currentBytes = KeyBytes(current);
        var previousBytes = previous is null ? null : KeyBytes(previous);
        var accessSigning = Key(currentBytes);
        var linkSigning = Key(HKDF.DeriveKey(HashAlgorithmName.SHA256, currentBytes, 32, salt: [], info: LinkKeyInfo));
        List<SecurityKey> accessValidation = [accessSigning];
        List<SecurityKey> linkValidation = [linkSigning];
        if (previousBytes is not null)
        {
            accessValidation.Add(Key(previousBytes));
            linkValidation.Add(Key(HKDF.DeriveKey(HashAlgorithmName.SHA256, previousBytes, 32, salt: [], info: LinkKeyInfo)));
        }

        var keys = new SigningKeys(accessSigning, accessValidation, linkSigning, linkValidation);
        _cached = new Cached(current, previous, keys);
        return keys;
    }

    /// <summary>Forgets the secrets' cached values, so the next read sees a rotation at once.</summary>
    public void Invalidate()
    {
        secrets.Invalidate(SecretNames.JwtSigningKey);
        secrets.Invalidate(SecretNames.JwtSigningKeyPrevious);
    }

    private static byte[] KeyBytes(string raw)
    {
        var bytes = Encoding.UTF8.GetBytes(raw);
        return bytes.Length >= MinimumKeyBytes
            ? bytes
            : throw new InvalidOperationException($"The JWT signing key must be at least {MinimumKeyBytes} bytes.");
    }

    private static SymmetricSecurityKey Key(byte[] bytes) =>
        new(bytes) { KeyId = "k" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12] };

    private sealed record Cached(string Current, string? Previous, SigningKeys Keys);
}
