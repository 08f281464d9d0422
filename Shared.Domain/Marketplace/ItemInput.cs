namespace Shared.Domain.Marketplace;

/// <summary>An item as a creator sends it (create, or replace with PUT), not validated yet.</summary>
public sealed record ItemInput(string? Title, string? Description, string? Kind, IReadOnlyList<string?>? Categories, long? PriceCents, string? Currency, string? AssetRef);
