using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>Role applications per tenant; at most one pending application per user and role.</summary>
public interface IRoleApplicationStore
{
    /// <summary>Stores a new pending application unless the user has one pending for that role; false then.</summary>
    Task<bool> TryCreateAsync(RoleApplication application, CancellationToken cancellationToken);

    Task<RoleApplication?> GetAsync(TenantId tenantId, string id, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="decided"/> if the stored application is still pending; false when it was decided already (or is gone).</summary>
    Task<bool> TryDecideAsync(RoleApplication decided, CancellationToken cancellationToken);

    /// <summary>When the user's latest rejected application for <paramref name="role"/> was rejected; null when none was.</summary>
    Task<DateTimeOffset?> LastRejectedAtAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken);

    /// <summary>The tenant's applications with <paramref name="status"/>, by id, after <paramref name="afterId"/>, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<RoleApplication>> ListAsync(TenantId tenantId, RoleApplicationStatus status, string? afterId, int max, CancellationToken cancellationToken);
}
