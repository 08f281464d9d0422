using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Identity;

/// <summary>Issues the short-lived signed tokens that user-scoped endpoints require.</summary>
public interface IAccessTokenIssuer
{
    Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken);
}
