using System.Globalization;
using System.Security.Cryptography;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Features;

namespace Shared.Infrastructure.Audit;

/// <summary>
/// What both stores share: the sort key that orders a tenant's entries (time, then a random suffix: newest first,
/// stable, unique without coordination) and the opaque continuation over it.
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
