using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// The pseudonym of an erased user: a SHA-256 digest of tenant and user id (hex, prefixed). It lets the tombstone, the
/// records kept for the law (payments, audit) and the audit entry of the erasure refer to the same person without
/// holding the id: a user id is a random GUID (122 random bits), so the digest cannot be reversed by guessing; only
/// someone who already knows the id can tell that it was erased, which is what the tombstone is for.
/// </summary>
public static class ErasedUserKey
{
    public const string Prefix = "erased-";

    public static string Of(TenantId tenantId, UserId userId) => Prefix + Convert.ToHexStringLower(Digest(tenantId, userId));

    /// <summary>
    /// The same pseudonym shaped as a user id, for records kept after the erasure (payments, subscriptions, another
    /// user's referral naming them) whose stores read a user id back: a GUID made of the digest's first 16 bytes, with
    /// the RFC 9562 version nibble set to 8 (custom), so it never equals a generated id (version 7).
    /// </summary>
    public static UserId PseudonymOf(TenantId tenantId, UserId userId)
    {
        var bytes = Digest(tenantId, userId)[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return UserId.Parse(new Guid(bytes, bigEndian: true).ToString("D"));
    }

    private static byte[] Digest(TenantId tenantId, UserId userId) => SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId.Value}\n{userId.Value}"));
}
