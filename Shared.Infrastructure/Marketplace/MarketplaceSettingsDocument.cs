using Shared.Domain.Marketplace;

namespace Shared.Infrastructure.Marketplace;

/// <summary>A tenant's marketplace rules as the tenants file writes them (snake_case).</summary>
public sealed class MarketplaceSettingsDocument
{
    public bool AutoPublish { get; set; }

    public bool PremiumCreators { get; set; }

    /// <summary>Lower-case slugs (letters, digits, dashes); absent: <see cref="MarketplaceSettings.DefaultCategories"/>.</summary>
    public List<string>? Categories { get; set; }

    /// <summary>The platform's fee on each sale, 0 to 100 with at most two decimals (12.5 = 12.5 %); absent: 20.</summary>
    public decimal? PlatformFeePercent { get; set; }

    public static MarketplaceSettingsDocument From(MarketplaceSettings settings) => new()
    {
        AutoPublish = settings.AutoPublish,
        PremiumCreators = settings.PremiumCreators,
        Categories = [.. settings.Categories],
        PlatformFeePercent = settings.PlatformFeeBasisPoints / 100m,
    };

    public MarketplaceSettings ToSettings(string tenantId)
    {
        var categories = Categories ?? [.. MarketplaceSettings.DefaultCategories];
        if (categories.Count == 0 || categories.Any(c => c.Length is 0 or > 40 || !c.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')) || categories.Distinct().Count() != categories.Count)
        {
            throw new FormatException($"Tenant '{tenantId}': marketplace.categories must be distinct lower-case slugs (letters, digits, dashes; 1 to 40 characters).");
        }

        var fee = PlatformFeePercent ?? MarketplaceSettings.DefaultPlatformFeeBasisPoints / 100m;
        if (fee is < 0 or > 100 || decimal.Round(fee, 2) != fee)
        {
            throw new FormatException($"Tenant '{tenantId}': marketplace.platform_fee_percent must be from 0 to 100 with at most two decimals.");
        }

        return new MarketplaceSettings { AutoPublish = AutoPublish, PremiumCreators = PremiumCreators, Categories = categories, PlatformFeeBasisPoints = (int)(fee * 100) };
    }
}
