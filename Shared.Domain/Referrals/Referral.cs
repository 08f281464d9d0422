using Shared.Domain.Common;

namespace Shared.Domain.Referrals;

/// <summary>AskDunzo's referral program: one referral per referred user, naming who referred them.</summary>
public sealed record Referral(TenantId TenantId, UserId ReferrerId, UserId ReferredId, ReferralStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt = null, DateTimeOffset? RewardedAt = null)
{
    /// <summary>The key the perk is granted under: one grant per referred user, so it counts once.</summary>
    public string GrantKey => "referral:" + ReferredId.Value;
}
