using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Usage;

internal sealed class UsageDocument
{
    private static long s_sequence;

    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string ActionType { get; set; } = "";

    public string Outcome { get; set; } = "";

    public long AtMs { get; set; }

    /// <summary>
    /// An id that sorts (ordinally) as the records were appended: the record's time in milliseconds (12 hex digits),
    /// then this process' append sequence (16 hex digits), then random digits so that two instances never collide.
    /// Listing orders by id, so records of the same millisecond keep their order, as in the SQLite store (whose row ids
    /// break such ties); ordering by time and a second property instead would need a composite index.
    /// Call it in append order.
    /// </summary>
    public static string NewId(DateTimeOffset at) =>
        $"{at.ToUnixTimeMilliseconds():x12}{(ulong)Interlocked.Increment(ref s_sequence):x16}{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
}
