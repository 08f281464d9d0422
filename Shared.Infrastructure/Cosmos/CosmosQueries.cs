using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Cosmos;

/// <summary>The query-drain loop every Cosmos store needs, written once.</summary>
public static class CosmosQueries
{
    /// <summary>
    /// Every row of <paramref name="query"/> in <paramref name="partition"/> (a full key, a tenant prefix from
    /// <c>Keys.TenantPrefix</c>, or null: all partitions), all pages read, in the query's order.
    /// </summary>
    public static Task<List<T>> ListAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, CancellationToken cancellationToken) =>
        ListAsync<T>(container, query, new QueryRequestOptions { PartitionKey = partition }, int.MaxValue, cancellationToken);

    /// <summary>
    /// The first <paramref name="max"/> rows of <paramref name="query"/>: no further page is read once that many are
    /// in, and a page that brings more is cut (a TOP query never does; a bounded list must not rely on it).
    /// </summary>
    public static async Task<List<T>> ListAsync<T>(Container container, QueryDefinition query, QueryRequestOptions options, int max, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults && list.Count < max)
        {
            list.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        if (list.Count > max)
        {
            list.RemoveRange(max, list.Count - max);
        }

        return list;
    }

    /// <summary>Runs a query returning {userId} rows over all of a tenant's users (a partition-key prefix query).</summary>
    internal static async Task<IReadOnlyList<UserId>> UserIdsAsync(Container container, QueryDefinition query, TenantId tenantId, CancellationToken cancellationToken) =>
        [.. (await ListAsync<UserIdRow>(container, query, Keys.TenantPrefix(tenantId), cancellationToken)).Select(row => Domain.Common.UserId.Parse(row.UserId))];

    internal sealed class UserIdRow
    {
        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";
    }
}
