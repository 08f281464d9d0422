namespace Shared.Domain.Marketplace;

/// <summary>A page of ratings; <see cref="Next"/> is null at the end.</summary>
public sealed record RatingPage(IReadOnlyList<ItemRating> Items, RatingCursor? Next);
