namespace Functions.Api.Marketplace;

/// <summary>A listed rating: the rater's display name only (never their id), the stars and the review text as data.</summary>
public sealed record RatingListItem(RaterResponse User, int Stars, string? Review, DateTimeOffset UpdatedAt);
