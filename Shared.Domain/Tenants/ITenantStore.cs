using Shared.Domain.Common;

namespace Shared.Domain.Tenants;

/// <summary>Where tenants live. Reads are hot (every request), so callers go through <see cref="ITenantDirectory"/>.</summary>
public interface ITenantStore
{
    Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken);

    Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken);
}
