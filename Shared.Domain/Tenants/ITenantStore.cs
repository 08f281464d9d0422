using Shared.Domain.Common;

namespace Shared.Domain.Tenants;

/// <summary>Where tenants live. Reads are hot (every request), so callers go through <see cref="ITenantDirectory"/>.</summary>
public interface ITenantStore
{
    Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken);

    Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>A page of the stored tenants by id, after <paramref name="after"/> (timer jobs sweep every tenant the store holds).</summary>
    Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken);
}
