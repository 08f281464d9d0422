using System.Text.Json.Serialization;

namespace Functions.Api.Identify;

public sealed record IdentifyResponse(
    bool Success,
    string UserId,
    bool CanUse,
    int? HitsRemaining,
    int? HitsLimit,
    string SubscriptionStatus,
    string? NextReset,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warning,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UpgradeUrl,
    string AccessToken,
    int ExpiresIn,
    string TokenType);
