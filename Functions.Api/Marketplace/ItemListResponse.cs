namespace Functions.Api.Marketplace;

/// <summary>A page of search results; pass <see cref="Continuation"/> back (with the same search) for the next one.</summary>
public sealed record ItemListResponse(IReadOnlyList<ItemResponse> Items, string? Continuation);
