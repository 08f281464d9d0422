using Shared.Domain.Common;

namespace Shared.Domain.Referrals;

/// <summary>AskDunzo's referral program: one referral per referred user, naming who referred them.</summary>
public sealed record Referral(TenantId TenantId, UserId ReferrerId, UserId ReferredId, ReferralStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt = null, DateTimeOffset? RewardedAt = null)
{
    /// <summary>
    /// The key the perk is granted under (in the referrer's quota account): one grant per referred user, so it counts
    /// once. A digest of the referred id, not the id: the referrer's account keeps it after the referred user is erased.
    /// </summary>
    public string GrantKey => "referral:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ReferredId.Value)))[..32];
}
