namespace Shared.Domain.Campaigns;

/// <summary>An offer as a client sent it (every field unchecked; <see cref="OfferCatalog"/> validates).</summary>
public sealed record OfferInput(string? Title, string? Description, int? DiscountPercent, IReadOnlyList<string?>? PinCodes, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);
