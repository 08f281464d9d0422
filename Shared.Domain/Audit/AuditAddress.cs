using System.Globalization;
using System.Net;

namespace Shared.Domain.Audit;

/// <summary>How an erased user's address stays in the audit log: only its network (IPv4 /24, IPv6 /48).</summary>
public static class AuditAddress
{
    /// <summary>
    /// The network of <paramref name="address"/>: still useful to spot an attack, no longer a person's. Accepts a plain
    /// address or one already written as a network (<c>2001:db8:1:2::/64</c>, the request limits' key for IPv6 callers);
    /// a narrower network is widened, a wider one kept. Null for anything that is not an address.
    /// </summary>
    public static string? Generalise(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var slash = address.IndexOf('/', StringComparison.Ordinal);
        var prefix = int.MaxValue;
        if (slash >= 0 && !int.TryParse(address.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return null;
        }

        if (!IPAddress.TryParse(slash >= 0 ? address[..slash] : address, out var ip))
        {
            return null;
        }

        var bytes = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().GetAddressBytes() : ip.GetAddressBytes();
        var keepBits = Math.Min(bytes.Length == 4 ? 24 : 48, prefix);
        for (var bit = keepBits; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes) + "/" + keepBits.ToString(CultureInfo.InvariantCulture);
    }
}
