using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Users;

/// <summary>
/// A user's grants in one <c>roles</c> document of their partition (a point read per check). Changes are
/// read-modify-write under the document's ETag (create when absent), retried when a concurrent change won, so two
/// admins granting at once both land and each learns whether it changed anything.
/// </summary>
public sealed class CosmosUserRoleStore(CosmosDatabase db) : IUserRoleStore
{
    private const int MaxAttempts = 10;
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task<IReadOnlySet<Role>> GetGrantedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _users.ReadAsync<UserRolesDocument>(UserRolesDocument.DocumentId, Keys.User(tenantId, userId), cancellationToken);
        return (doc?.Roles ?? []).Select(g => RoleNames.TryParse(g.Role, out var role) ? role : (Role?)null).OfType<Role>().ToHashSet();
    }

    public Task<bool> GrantAsync(TenantId tenantId, UserId userId, Role role, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, userId, role, grant: true, now, cancellationToken);

    public Task<bool> RevokeAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, userId, role, grant: false, default, cancellationToken);

    private async Task<bool> ChangeAsync(TenantId tenantId, UserId userId, Role role, bool grant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (role == Role.User)
        {
            throw new ArgumentException("Every account is a user; that role is never stored.", nameof(role));
        }

        var name = role.ToClaim();
        var key = Keys.User(tenantId, userId);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (doc, etag) = await _users.ReadAsync<UserRolesDocument>(UserRolesDocument.DocumentId, key, cancellationToken);
            var held = doc?.Roles.Any(g => g.Role == name) ?? false;
            if (held == grant)
            {
                return false;
            }

            doc ??= new UserRolesDocument { TenantId = tenantId.Value, UserId = userId.Value };
            if (grant)
            {
                doc.Roles.Add(new UserRolesDocument.RoleGrantEntry { Role = name, GrantedAtMs = now.ToUnixTimeMilliseconds() });
            }
            else
            {
                doc.Roles.RemoveAll(g => g.Role == name);
            }

            var written = etag is null
                ? await _users.TryCreateAsync(doc, key, cancellationToken)
                : await _users.TryReplaceAsync(doc, UserRolesDocument.DocumentId, key, etag, cancellationToken);
            if (written)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The roles of user {userId} kept changing concurrently; gave up after {MaxAttempts} attempts.");
    }
}
