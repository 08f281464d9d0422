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

    /// <summary>
    /// The user's most recent token from this issuer while it is still within its reuse window, whatever roles it carries;
    /// null when there is none (then issue one with the user's current roles). Identify, called on every use, takes this
    /// to skip reading the user's roles; a role change reaches it when the token is renewed.
    /// </summary>
    Task<AccessToken?> TryReuseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => Task.FromResult<AccessToken?>(null);

    /// <summary>A token for exactly one granted role besides <see cref="Role.User"/> (tests and tools).</summary>
    Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        IssueAsync(tenantId, userId, [role], cancellationToken);
}
