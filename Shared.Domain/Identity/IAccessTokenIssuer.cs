using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Identity;

public sealed record AccessToken(string Value, int ExpiresInSeconds);

/// <summary>Issues the short-lived signed tokens that user-scoped endpoints require.</summary>
public interface IAccessTokenIssuer
{
    Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken);
}
