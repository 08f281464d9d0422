namespace Shared.Domain.Marketplace;

/// <summary>The last rating of a page: the next page starts after (updated time, user id), both descending.</summary>
public sealed record RatingCursor(long UpdatedAtMs, string UserId);
