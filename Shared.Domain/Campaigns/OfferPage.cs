namespace Shared.Domain.Campaigns;

/// <summary>One page of active offers; <see cref="Continuation"/> (the last offer's id) asks for the next, null at the end.</summary>
public sealed record OfferPage(IReadOnlyList<Offer> Items, string? Continuation);
