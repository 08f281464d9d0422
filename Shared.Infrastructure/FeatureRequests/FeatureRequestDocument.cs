using System.Text.Json.Serialization;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.FeatureRequests;

internal sealed class FeatureRequestDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "feature_request";

    public string RequestText { get; set; } = "";

    public string Status { get; set; } = "";

    public string Reservation { get; set; } = "";

    public string Queue { get; set; } = "";

    public string? GeneratedCode { get; set; }

    public string? GeneratedBy { get; set; }

    public string? FailureReason { get; set; }

    public int Attempts { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public long? CompletedAtMs { get; set; }

    /// <summary>Documents written before retries were scheduled have none: their one message was round 1.</summary>
    public int Round { get; set; } = 1;

    public long? RetryBudgetFromMs { get; set; }

    public long? NextAttemptAtMs { get; set; }

    /// <summary>The category assigned at submission (a FeatureCategories wire name); documents written before it have none.</summary>
    public string? Category { get; set; }

    /// <summary>Filled in query results (reads and writes carry the ETag in a header instead).</summary>
    [JsonPropertyName("_etag")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; set; }

    public static FeatureRequestDocument From(FeatureRequest r) => new()
    {
        Id = r.Id,
        TenantId = r.TenantId.Value,
        UserId = r.UserId.Value,
        RequestText = r.RequestText,
        Status = FeatureText.Format(r.Status),
        Reservation = FeatureText.Format(r.Reservation),
        Queue = r.Queue,
        GeneratedCode = r.GeneratedCode,
        GeneratedBy = r.GeneratedBy,
        FailureReason = r.FailureReason,
        Attempts = r.Attempts,
        CreatedAtMs = r.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = r.UpdatedAt.ToUnixTimeMilliseconds(),
        CompletedAtMs = r.CompletedAt?.ToUnixTimeMilliseconds(),
        Round = r.Round,
        RetryBudgetFromMs = r.RetryBudgetFrom?.ToUnixTimeMilliseconds(),
        NextAttemptAtMs = r.NextAttemptAt?.ToUnixTimeMilliseconds(),
        Category = r.Category is { } category ? FeatureCategories.Name(category) : null,
    };

    public FeatureRequest ToRequest(string etag) => new()
    {
        Id = Id,
        TenantId = Domain.Common.TenantId.Parse(TenantId),
        UserId = Domain.Common.UserId.Parse(UserId),
        RequestText = RequestText,
        Status = FeatureText.ParseStatus(Status),
        Reservation = FeatureText.ParseReservation(Reservation),
        Queue = Queue,
        GeneratedCode = GeneratedCode,
        GeneratedBy = GeneratedBy,
        FailureReason = FailureReason,
        Attempts = Attempts,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
        CompletedAt = CompletedAtMs is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
        Round = Math.Max(1, Round),
        RetryBudgetFrom = RetryBudgetFromMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        NextAttemptAt = NextAttemptAtMs is { } n ? DateTimeOffset.FromUnixTimeMilliseconds(n) : null,
        Category = Category is null ? null : FeatureCategories.Parse(Category),
        Version = etag,
    };
}
