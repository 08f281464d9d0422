using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Identity;

/// <summary>Issues the short-lived signed tokens that user-scoped endpoints require.</summary>
public interface IAccessTokenIssuer
{
    /// <summary>
    /// A token carrying one role claim per role in <paramref name="roles"/> (<see cref="Role.User"/> is always added:
    /// every account is a user). Sign-in paths take the roles from <see cref="UserRoles"/>.
    /// </summary>
    Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, IReadOnlyCollection<Role> roles, CancellationToken cancellationToken);

    /// <summary>A token for exactly one granted role besides <see cref="Role.User"/> (tests and tools).</summary>
    Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        IssueAsync(tenantId, userId, [role], cancellationToken);
}
