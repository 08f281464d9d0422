using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// What the caller of an irreversible action (erasure) shows besides a valid access token: when that token was issued
/// (<c>iat</c>) and, for an account with a password, the password typed again.
/// </summary>
public sealed record ReauthenticationProof(TenantId TenantId, UserId UserId, DateTimeOffset? TokenIssuedAt, string? Password);
