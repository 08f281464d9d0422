namespace Shared.Domain.Marketplace;

/// <summary>A page of search results; <see cref="Continuation"/> (opaque) fetches the next one, null at the end.</summary>
public sealed record ItemSearchPage(IReadOnlyList<ItemView> Items, string? Continuation);
