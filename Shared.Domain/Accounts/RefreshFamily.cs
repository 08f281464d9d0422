using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>One sign-in's chain of refresh tokens; once <see cref="RevokedAt"/> is set no token of it refreshes again.</summary>
public sealed record RefreshFamily(TenantId TenantId, string FamilyId, UserId UserId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
