namespace Shared.Domain.Marketplace;

/// <summary>A tenant's marketplace rules (the tenants file's <c>marketplace</c> object).</summary>
public sealed record MarketplaceSettings
{
    public static readonly IReadOnlyList<string> DefaultCategories = ["productivity", "writing", "coding", "education", "entertainment", "business", "lifestyle", "other"];

    public static MarketplaceSettings Default { get; } = new();

    /// <summary>New and edited items are published at once instead of waiting for an admin's verification.</summary>
    public bool AutoPublish { get; init; }

    /// <summary>
    /// AskDunzo's rule: users on a premium plan (any plan but the tenant's default, free one) may publish items without
    /// the creator role.
    /// </summary>
    public bool PremiumCreators { get; init; }

    /// <summary>The categories items may name (lower-case slugs).</summary>
    public IReadOnlyList<string> Categories { get; init; } = DefaultCategories;

    /// <summary>
    /// The platform's fee on each sale in basis points (hundredths of a percent; the tenants file writes
    /// <c>platform_fee_percent</c> with up to two decimals): the creator earns the rest, see <see cref="CreatorShare"/>.
    /// </summary>
    public int PlatformFeeBasisPoints { get; init; } = DefaultPlatformFeeBasisPoints;

    /// <summary>20 %, when the tenant does not say.</summary>
    public const int DefaultPlatformFeeBasisPoints = 2_000;
}
