namespace Functions.Api.Marketplace;

public sealed record CategoriesResponse(IReadOnlyList<string> Categories);
