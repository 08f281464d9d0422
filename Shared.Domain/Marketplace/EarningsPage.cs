namespace Shared.Domain.Marketplace;

/// <summary>A page of a creator's earnings; <see cref="Next"/> is null on the last page.</summary>
public sealed record EarningsPage(IReadOnlyList<EarningsEntry> Items, EarningsCursor? Next);
