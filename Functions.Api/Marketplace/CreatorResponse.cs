namespace Functions.Api.Marketplace;

/// <summary>An item's creator: display name null until they set one.</summary>
public sealed record CreatorResponse(string Id, string? DisplayName);
