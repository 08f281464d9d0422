using Shared.Domain.Features;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;

namespace Shared.Infrastructure.Json;

/// <summary>Stable stored names for domain enums (renaming a C# member must not change stored data).</summary>
public static class ResetPeriodText
{
    public static string Format(ResetPeriod period) => period == ResetPeriod.Day ? "day" : "month";

    public static ResetPeriod Parse(string text) => text switch
    {
        "day" => ResetPeriod.Day,
        "month" => ResetPeriod.Month,
        _ => throw new FormatException($"Unknown reset period '{text}'."),
    };
}

public static class ConsumeKindText
{
    public static string Format(ConsumeKind kind) => kind switch
    {
        ConsumeKind.Allowed => "allowed",
        ConsumeKind.Replayed => "replayed",
        ConsumeKind.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ConsumeKind Parse(string text) => text switch
    {
        "allowed" => ConsumeKind.Allowed,
        "replayed" => ConsumeKind.Replayed,
        "denied" => ConsumeKind.Denied,
        _ => throw new FormatException($"Unknown outcome '{text}'."),
    };
}

/// <summary>Stored text of the feature enums.</summary>
public static class FeatureText
{
    public static string Format(FeatureRequestStatus status) => status switch
    {
        FeatureRequestStatus.Pending => "pending",
        FeatureRequestStatus.Processing => "processing",
        FeatureRequestStatus.Completed => "completed",
        _ => "failed",
    };

    public static string Format(ReservationState state) => state switch
    {
        ReservationState.Reserving => "reserving",
        ReservationState.Held => "held",
        ReservationState.Committed => "committed",
        _ => "released",
    };

    public static FeatureRequestStatus ParseStatus(string text) => text switch
    {
        "pending" => FeatureRequestStatus.Pending,
        "processing" => FeatureRequestStatus.Processing,
        "completed" => FeatureRequestStatus.Completed,
        "failed" => FeatureRequestStatus.Failed,
        _ => throw new FormatException($"Unknown feature request status '{text}'."),
    };

    public static ReservationState ParseReservation(string text) => text switch
    {
        "reserving" => ReservationState.Reserving,
        "held" => ReservationState.Held,
        "committed" => ReservationState.Committed,
        "released" => ReservationState.Released,
        _ => throw new FormatException($"Unknown reservation state '{text}'."),
    };
}

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
