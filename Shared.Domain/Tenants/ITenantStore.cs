using System.Diagnostics.CodeAnalysis;
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

/// <summary>Read access to tenants for request handling (may be cached).</summary>
public interface ITenantDirectory
{
    Task<Tenant?> FindAsync(TenantId id, CancellationToken cancellationToken);

    /// <summary>
    /// A tenant this directory already knows to exist, without reading the store; false means "ask
    /// <see cref="FindAsync"/>", which may read it (callers limit how often a client can make them do that).
    /// </summary>
    bool TryGetCached(TenantId id, [NotNullWhen(true)] out Tenant? tenant)
    {
        tenant = null;
        return false;
    }
}
