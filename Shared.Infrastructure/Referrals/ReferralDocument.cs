using System.Text.Json.Serialization;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Referrals;

internal sealed class ReferralDocument
{
    public string Id { get; set; } = "referral";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    /// <summary>The referred user: the referral lives in their partition (one per referred user).</summary>
    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "referral";

    public string ReferrerId { get; set; } = "";

    public string Status { get; set; } = "";

    public long CreatedAtMs { get; set; }

    public long? ConfirmedAtMs { get; set; }

    public long? RewardedAtMs { get; set; }

    public Referral ToReferral() => new(
        Domain.Common.TenantId.Parse(TenantId),
        Domain.Common.UserId.Parse(ReferrerId),
        Domain.Common.UserId.Parse(UserId),
        ReferralText.Parse(Status),
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        ConfirmedAtMs is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
        RewardedAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}
