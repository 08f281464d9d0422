using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Shared.Domain.Audit;
using Shared.Domain.Features;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Audit;

/// <summary>
/// What both stores share: the sort key that orders a tenant's entries (time, then a random suffix: newest first,
/// stable, unique without coordination), the opaque continuation over it, and how an erased user's entries are
/// de-identified.
/// </summary>
internal static class AuditKeys
{
    public const int MaxPageSize = 100;

    /// <summary>Fixed-width milliseconds then 16 random hex digits: ordinal order is time order.</summary>
    public static string NewSortKey(DateTimeOffset at) =>
        at.ToUnixTimeMilliseconds().ToString("D15", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string EncodeContinuation(string sortKey) => ContinuationText.Encode("a1:" + sortKey);

    /// <summary>The sort key a continuation resumes after; a token this list did not issue is refused.</summary>
    public static string DecodeContinuation(string token)
    {
        var text = ContinuationText.Decode(token);
        return text.StartsWith("a1:", StringComparison.Ordinal) && text.Length == 3 + 15 + 1 + 16 && text[18] == '-'
            ? text[3..]
            : throw new InvalidContinuationException("Not a continuation token of the audit log.");
    }

    public static int ClampPageSize(int pageSize) => Math.Clamp(pageSize, 1, MaxPageSize);

    /// <summary>
    /// The name an erased user's entries carry instead of their id: random, drawn once per erasure, so the entries of
    /// one erasure stay linked to each other without pointing to anyone.
    /// </summary>
    public static string NewPseudonym() => "erased-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>An erased user's address kept only as its network (IPv4 /24, IPv6 /48): still useful to spot an attack, no longer a person's.</summary>
    public static string? Generalise(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        var bytes = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().GetAddressBytes() : ip.GetAddressBytes();
        var keep = bytes.Length == 4 ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return new IPAddress(bytes) + "/" + (keep * 8).ToString(CultureInfo.InvariantCulture);
    }

    public static IReadOnlyDictionary<string, string?> Fields(AuditEntry entry) => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["action"] = entry.Action,
        ["actor_id"] = entry.ActorId,
        ["target_id"] = entry.TargetId,
        ["at"] = entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["address"] = entry.Address,
        ["correlation_id"] = entry.CorrelationId,
    };
}
