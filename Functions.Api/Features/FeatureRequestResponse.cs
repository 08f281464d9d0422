using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Json;

namespace Functions.Api.Features;

/// <summary>A feature request as the API shows it (API.md); <c>category</c> is the closed-list category assigned at submission (null for older requests).</summary>
public sealed record FeatureRequestResponse(
    string Id,
    string Status,
    string RequestText,
    string? GeneratedCode,
    string? GeneratedBy,
    string? FailureReason,
    string Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    string? Category)
{
    public static FeatureRequestResponse From(FeatureRequest r) => new(
        r.Id,
        FeatureText.Format(r.Status),
        r.RequestText,
        r.GeneratedCode,
        r.GeneratedBy,
        r.FailureReason,
        r.Queue == QueueNames.AiGenerationPriority ? "priority" : "standard",
        r.CreatedAt,
        r.UpdatedAt,
        r.CompletedAt,
        r.Category is { } category ? FeatureCategories.Name(category) : null);
}
