using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>
/// A key in a user's key memory: the operation's kind, then a digest of (kind, tenant, user, raw key), so a client string
/// is safe as a document property name and in a store's filter expression, and the same raw string means different keys
/// for different kinds or users. Stored as <see cref="Hash"/>: one letter for the kind ('i' identify, 'r' reservation)
/// followed by 32 lowercase hex digits (128 bits of SHA-256).
/// </summary>
public readonly record struct RequestKey
{
    private RequestKey(RequestKeyKind kind, string hash)
    {
        Kind = kind;
        Hash = hash;
    }

    public RequestKeyKind Kind { get; }

    /// <summary>The stored id: kind letter + 32 hex digits.</summary>
    public string Hash { get; }

    /// <summary>The key of an identify call's request id, scoped to its tenant and user.</summary>
    public static RequestKey ForIdentify(TenantId tenantId, UserId userId, ClientRequestId requestId) =>
        Create(RequestKeyKind.Identify, tenantId, userId, requestId.Value);

    /// <summary>The key a feature request's use is reserved under, scoped to its tenant and user.</summary>
    public static RequestKey ForReservation(TenantId tenantId, UserId userId, string requestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return Create(RequestKeyKind.Reservation, tenantId, userId, requestId);
    }

    /// <summary>Rebuilds a key from a stored id (stores only); false for ids this version does not write (e.g. unkinded keys of earlier versions).</summary>
    public static bool TryFromHash(string? stored, out RequestKey key)
    {
        key = default;
        if (stored is not { Length: 33 } || stored.AsSpan(1).ContainsAnyExcept(LowerHex))
        {
            return false;
        }

        RequestKeyKind? kind = stored[0] switch
        {
            'i' => RequestKeyKind.Identify,
            'r' => RequestKeyKind.Reservation,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        key = new RequestKey(kind.Value, stored);
        return true;
    }

    public static RequestKey FromHash(string stored) =>
        TryFromHash(stored, out var key) ? key : throw new ArgumentException("Not a request key.", nameof(stored));

    public override string ToString() => Hash;

    private static RequestKey Create(RequestKeyKind kind, TenantId tenantId, UserId userId, string raw)
    {
        // Unambiguous input: every part but the last is free of '\n' (kinds, tenant ids and user ids are validated).
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{Letter(kind)}\n{tenantId.Value}\n{userId.Value}\n{raw}"));
        return new RequestKey(kind, Letter(kind) + Convert.ToHexStringLower(digest, 0, 16));
    }

    private static char Letter(RequestKeyKind kind) => kind switch
    {
        RequestKeyKind.Identify => 'i',
        RequestKeyKind.Reservation => 'r',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
