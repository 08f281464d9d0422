namespace Functions.Api.Features;

/// <summary>One page of the caller's feature requests; <see cref="Continuation"/> fetches the next (null at the end).</summary>
public sealed record FeatureRequestListResponse(IReadOnlyList<FeatureRequestResponse> Items, string? Continuation);
