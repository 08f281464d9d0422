using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>
/// A refresh token, as stored: its SHA-256 (<see cref="Hash"/>), the family it belongs to (one sign-in and every
/// rotation after it) and when it was used (rotated). A used token presented again means it was copied: the family is
/// revoked.
/// </summary>
public sealed record RefreshToken(TenantId TenantId, string Hash, string FamilyId, UserId UserId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);
