using Shared.Domain.Referrals;

namespace Shared.Infrastructure.Json;

public static class ReferralText
{
    public static string Format(ReferralStatus status) => status switch
    {
        ReferralStatus.Pending => "pending",
        ReferralStatus.Confirmed => "confirmed",
        _ => "rewarded",
    };

    public static ReferralStatus Parse(string text) => text switch
    {
        "pending" => ReferralStatus.Pending,
        "confirmed" => ReferralStatus.Confirmed,
        "rewarded" => ReferralStatus.Rewarded,
        _ => throw new FormatException($"Unknown referral status '{text}'."),
    };
}
