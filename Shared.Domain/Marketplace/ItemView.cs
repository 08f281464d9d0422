namespace Shared.Domain.Marketplace;

/// <summary>An item as one caller sees it: with its creator's display name (null until they set one) and their own install.</summary>
public sealed record ItemView(MarketplaceItem Item, string? CreatorDisplayName, bool Installed, bool Purchased);
