using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>What a creator writes about an item (validated by <see cref="ItemDetailsRules"/>); counters and moderation live apart.</summary>
public sealed record ItemDetails(string Title, string Description, ItemKind Kind, IReadOnlyList<string> Categories, Money Price, string? AssetRef)
{
    public bool IsFree => Price.MinorUnits == 0;
}
