namespace Functions.Api.Campaigns;

/// <summary><c>GET /offers?pin_code=</c>: the active offers of the pin code, 50 a page.</summary>
public sealed record OfferListResponse(IReadOnlyList<OfferResponse> Items, string? Continuation);
