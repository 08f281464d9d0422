using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Tenants;

namespace Shared.Infrastructure.Cosmos;

// Property names are snake_case (all lower case) on purpose: besides matching the wire format, the npm Cosmos
// server used in tests lower-cases patch filter predicates. Partition key properties keep the camelCase names that
// the container definitions use.

internal static class Keys
{
    public static PartitionKey Tenant(TenantId tenantId) => new(tenantId.Value);

    public static PartitionKey User(TenantId tenantId, UserId userId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(userId.Value).Build();

    public static PartitionKey Lookup(TenantId tenantId, string lookupKey) => new PartitionKeyBuilder().Add(tenantId.Value).Add(lookupKey).Build();

    /// <summary>Client strings (extension ids, emails) become fixed-length hex ids, safe in any Cosmos id.</summary>
    public static string Hashed(string prefix, string value) => prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

internal sealed class TenantEnvelope
{
    public string Id { get; set; } = "tenant";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    public TenantDocument Tenant { get; set; } = new();
}

internal sealed class LookupDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string UserId { get; set; } = "";

    /// <summary>Written by earlier versions (and still by the billing customer index); nothing reads it.</summary>
    public bool EmailSettled { get; set; }

    public long CreatedAtMs { get; set; }
}

internal sealed class UserDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "user";

    /// <summary>Written by versions before proof-before-linking, from unverified request bodies: read as the contact email only.</summary>
    public string? Email { get; set; }

    /// <summary>Proven by an ID token; unique in the tenant through its <c>vemail:</c> lookup document.</summary>
    public string? VerifiedEmail { get; set; }

    /// <summary>Unverified, as typed by the installation that created the user; not unique, no lookup document.</summary>
    public string? ContactEmail { get; set; }

    public string Role { get; set; } = "user";

    public long CreatedAtMs { get; set; }

    public static string IdFor(UserId userId) => "user:" + userId.Value;
}

/// <summary>
/// One remembered key. Short property names and flags written only when set: every account write costs by the
/// document's size, and an account holds up to <see cref="QuotaAccount.PruneAbove"/> of these (README: quotas).
/// </summary>
internal sealed class RecordedUseDocument
{
    public const string AtName = "at";
    public const string UsedAfterName = "n";
    public const string ReleasedName = "rel";
    public const string SettledName = "set";

    [JsonPropertyName(AtName)]
    public long AtMs { get; set; }

    /// <summary>Written by a second patch right after the consuming one; absent for that brief moment.</summary>
    [JsonPropertyName(UsedAfterName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UsedAfter { get; set; }

    /// <summary>The use was given back (a reservation released); absent when not.</summary>
    [JsonPropertyName(ReleasedName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Released { get; set; }

    /// <summary>The use was kept for good (a reservation whose job succeeded); absent when not. Neither flag: a reservation in flight.</summary>
    [JsonPropertyName(SettledName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Settled { get; set; }
}

internal sealed class QuotaDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "quota";

    public string PlanId { get; set; } = "";

    public int? HitsLimit { get; set; }

    public string ResetPeriod { get; set; } = "day";

    public long AnchorMs { get; set; }

    public long PeriodStartMs { get; set; }

    public long PeriodEndMs { get; set; }

    public int Used { get; set; }

    public Dictionary<string, RecordedUseDocument> Requests { get; set; } = [];

    /// <summary>Extra uses per period (referral perks); the consumption predicate adds it to the limit.</summary>
    public int BonusUses { get; set; }

    /// <summary>Keys of the bonus grants applied (each counts once).</summary>
    public List<string> Grants { get; set; } = [];

    public static string IdFor(UserId userId) => "quota:" + userId.Value;

    public static QuotaDocument From(QuotaAccount account) => new()
    {
        Id = IdFor(account.UserId),
        TenantId = account.TenantId.Value,
        UserId = account.UserId.Value,
        PlanId = account.PlanId.Value,
        HitsLimit = account.Allowance.Limit,
        ResetPeriod = ResetPeriodText.Format(account.Allowance.Period),
        AnchorMs = account.Anchor.ToUnixTimeMilliseconds(),
        PeriodStartMs = account.Period.Start.ToUnixTimeMilliseconds(),
        PeriodEndMs = account.Period.End.ToUnixTimeMilliseconds(),
        Used = account.Used,
        Requests = account.RecentRequests.ToDictionary(r => r.Key, r => new RecordedUseDocument { AtMs = r.Value.At.ToUnixTimeMilliseconds(), UsedAfter = r.Value.ResultAfter, Released = r.Value.Released, Settled = r.Value.Settled }, StringComparer.Ordinal),
        BonusUses = account.BonusUses,
        Grants = [.. account.Grants],
    };

    public QuotaAccount ToAccount() => QuotaAccount.Restore(
        Domain.Common.TenantId.Parse(TenantId),
        Domain.Common.UserId.Parse(UserId),
        Domain.Common.PlanId.Parse(PlanId),
        new Allowance(HitsLimit, ResetPeriodText.Parse(ResetPeriod)),
        DateTimeOffset.FromUnixTimeMilliseconds(AnchorMs),
        new UsagePeriod(DateTimeOffset.FromUnixTimeMilliseconds(PeriodStartMs), DateTimeOffset.FromUnixTimeMilliseconds(PeriodEndMs)),
        Used,
        Requests.Select(r => KeyValuePair.Create(r.Key, new RecordedOperation<int>(DateTimeOffset.FromUnixTimeMilliseconds(r.Value.AtMs), r.Value.UsedAfter ?? Used, r.Value.Released, r.Value.Settled))),
        BonusUses,
        Grants);
}

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
