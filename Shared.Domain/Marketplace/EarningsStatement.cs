namespace Shared.Domain.Marketplace;

/// <summary>A page of a creator's earnings with the totals per currency over all of them (first page only, else null), and the opaque continuation.</summary>
public sealed record EarningsStatement(IReadOnlyList<EarningsEntry> Items, IReadOnlyDictionary<string, long>? Totals, string? Continuation);
