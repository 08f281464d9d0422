namespace Shared.Domain.Marketplace;

/// <summary>A rating as listed: the rater's display name only (null until set), never their id.</summary>
public sealed record RatingView(string? DisplayName, int Stars, string? Review, DateTimeOffset UpdatedAt);
