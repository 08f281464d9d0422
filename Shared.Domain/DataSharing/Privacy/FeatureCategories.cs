using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>The wire names of <see cref="FeatureCategory"/> (snake_case), used in requests and in released rows.</summary>
public static class FeatureCategories
{
    private static readonly Dictionary<FeatureCategory, string> Names = new()
    {
        [FeatureCategory.DarkMode] = "dark_mode",
        [FeatureCategory.AdBlocking] = "ad_blocking",
        [FeatureCategory.Accessibility] = "accessibility",
        [FeatureCategory.Reading] = "reading",
        [FeatureCategory.Shopping] = "shopping",
        [FeatureCategory.Media] = "media",
        [FeatureCategory.Privacy] = "privacy",
        [FeatureCategory.Notifications] = "notifications",
        [FeatureCategory.Productivity] = "productivity",
        [FeatureCategory.Layout] = "layout",
        [FeatureCategory.Other] = "other",
    };

    private static readonly Dictionary<string, FeatureCategory> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string Name(FeatureCategory category) =>
        Names.TryGetValue(category, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(category), category, "Not a feature category.");

    public static FeatureCategory Parse(string name) =>
        TryParse(name, out var category) ? category.Value : throw new FormatException($"'{name}' is not a feature category.");

    public static bool TryParse(string? name, [NotNullWhen(true)] out FeatureCategory? category)
    {
        category = null;
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            category = found;
        }

        return category is not null;
    }
}
