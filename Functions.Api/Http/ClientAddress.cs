using System.Net;
using System.Net.Sockets;

namespace Functions.Api.Http;

/// <summary>
/// The client address rate limits are keyed by. Under the Functions host it is the last X-Forwarded-For entry (see
/// ApiApp: only when the peer is the host on loopback); otherwise the TCP peer, and X-Forwarded-For is ignored, so a
/// caller cannot pick an address by sending the header. IPv6 addresses count per /64: one subscriber line or host
/// usually holds a whole /64, so keying by the full address would hand an attacker 2^64 budgets.
/// </summary>
public static class ClientAddress
{
    public static string KeyOf(HttpContext http) => KeyOf(http.Connection.RemoteIpAddress);

    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "none"; // in-process test servers; every such caller shares one budget
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
