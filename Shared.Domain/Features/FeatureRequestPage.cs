namespace Shared.Domain.Features;

/// <summary>One page of a user's requests, newest first; <see cref="Continuation"/> fetches the next page (null at the end).</summary>
public sealed record FeatureRequestPage(IReadOnlyList<FeatureRequest> Items, string? Continuation);
