using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Json;

namespace Functions.Api.Features;

/// <summary>A feature request as the API shows it (API.md).</summary>
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
    DateTimeOffset? CompletedAt)
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
        r.CompletedAt);
}
