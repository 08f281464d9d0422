namespace Functions.Api.Marketplace;

/// <summary>The caller's rating as stored, and the item's rating summary after it.</summary>
public sealed record RatingResponse(int Stars, string? Review, DateTimeOffset UpdatedAt, long RatingCount, double? RatingAverage, IReadOnlyDictionary<string, long> RatingHistogram);
