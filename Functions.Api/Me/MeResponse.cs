namespace Functions.Api.Me;

/// <summary>GET /users/me: the caller's profile and what they have in this tenant.</summary>
public sealed record MeResponse(
    string UserId,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string CreatedAt,
    IReadOnlyList<string> Roles,
    string? Plan,
    MeQuota? Quota,
    IReadOnlyList<MeSubscription> Subscriptions,
    MeDataSharing? DataSharing,
    IReadOnlyList<MeInstallation> Installations);
