using Microsoft.Azure.Cosmos;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// A user's installations: the tenant's <c>ext:</c> lookup documents naming the user (their ids are already the
/// digest <see cref="LinkedInstallation.IdOf"/> computes), a tenant-prefix query.
/// </summary>
public sealed class CosmosLinkedInstallations(CosmosDatabase db) : ILinkedInstallations
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<IReadOnlyList<LinkedInstallation>> ListAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.id, c.created_at_ms FROM c WHERE c.user_id = @u AND STARTSWITH(c.id, 'ext:')").WithParameter("@u", userId.Value);
        var rows = new List<Row>();
        using var iterator = _lookups.GetItemQueryIterator<Row>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            rows.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        // Ordered here, like the SQLite store orders, rather than in the query (a cross-partition ORDER BY).
        return [.. rows.OrderBy(r => r.CreatedAtMs).ThenBy(r => r.Id, StringComparer.Ordinal).Take(max).Select(r => new LinkedInstallation(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs)))];
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public long CreatedAtMs { get; set; }
    }
}
