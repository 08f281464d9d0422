namespace Shared.Domain.Marketplace;

public sealed record RatingViewPage(IReadOnlyList<RatingView> Items, string? Continuation);
