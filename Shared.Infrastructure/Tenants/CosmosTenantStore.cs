using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Tenants;

public sealed class CosmosTenantStore(CosmosDatabase db) : ITenantStore
{
    private readonly Container _container = db.Container(CosmosContainers.Tenants);

    public async Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken)
    {
        var (doc, _) = await _container.ReadAsync<TenantEnvelope>("tenant", Keys.Tenant(id), cancellationToken);
        return doc?.Tenant.ToTenant();
    }

    public async Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(new TenantEnvelope { TenantId = tenant.Id.Value, Tenant = TenantDocument.From(tenant) });
        using var response = await _container.UpsertItemStreamAsync(payload, Keys.Tenant(tenant.Id), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Across the tenants' partitions (one each) in id order. The tenant list is small and read by timer jobs only, so a
    /// cross-partition query with TOP is fine here; a page is at most <paramref name="max"/> documents.
    /// </summary>
    public async Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var query = after is { } a
            ? new QueryDefinition("SELECT TOP @max * FROM c WHERE c.id = 'tenant' AND c.tenantId > @after ORDER BY c.tenantId").WithParameter("@after", a.Value)
            : new QueryDefinition("SELECT TOP @max * FROM c WHERE c.id = 'tenant' ORDER BY c.tenantId");
        var page = await CosmosQueries.ListAsync<TenantEnvelope>(_container, query.WithParameter("@max", max), new QueryRequestOptions { MaxItemCount = max }, max, cancellationToken);
        return [.. page.Select(d => d.Tenant.ToTenant())];
    }
}
