namespace Functions.Api.Marketplace;

public sealed record RaterResponse(string? DisplayName);
