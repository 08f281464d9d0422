using System.Security.Cryptography;
using System.Text;

namespace Shared.Domain.Notifications;

/// <summary>
/// The inbox id of a campaign message: 32 hex digits of SHA-256 over the message id. Deterministic (a redelivery maps
/// to the stored notification), fixed-length and safe in any store key or URL whatever the campaign side puts in its ids.
/// </summary>
public static class InboxIds
{
    public static string Of(string messageId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)))[..32];

    /// <summary>True for text that has the shape of an inbox id (so a route value can be refused before any store read).</summary>
    public static bool IsWellFormed(string? id) => id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
