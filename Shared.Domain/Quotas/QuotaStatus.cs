using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>What a user may still do in the current period, as seen at one instant.</summary>
public sealed record QuotaStatus(PlanId PlanId, Allowance Allowance, int Used, UsagePeriod Period, int BonusUses = 0)
{
    /// <summary>The plan's limit plus the user's bonus uses (referral perks); null when unlimited.</summary>
    public int? Limit => Allowance.Limit is { } limit ? limit + BonusUses : null;

    public int? Remaining => Limit is { } limit ? Math.Max(0, limit - Used) : null;

    /// <summary>80 % or more of a limited allowance is spent (8 of 10).</summary>
    public bool IsLow => Limit is { } limit && (long)Used * 5 >= (long)limit * 4;
}
