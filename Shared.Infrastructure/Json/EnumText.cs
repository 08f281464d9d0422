using Shared.Domain.Quotas;

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
