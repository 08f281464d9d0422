namespace Functions.Api.Marketplace;

public sealed record RatingListResponse(IReadOnlyList<RatingListItem> Items, string? Continuation);
