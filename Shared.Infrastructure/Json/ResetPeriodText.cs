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
