using System.Text.Json.Serialization;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Quotas;

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
