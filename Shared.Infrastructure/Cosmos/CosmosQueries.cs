using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Cosmos;

internal static class CosmosQueries
{
    /// <summary>Runs a query returning {userId} rows over all of a tenant's users (a partition-key prefix query).</summary>
    public static async Task<IReadOnlyList<UserId>> UserIdsAsync(Container container, QueryDefinition query, TenantId tenantId, CancellationToken cancellationToken)
    {
        var list = new List<UserId>();
        using var iterator = container.GetItemQueryIterator<UserIdRow>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            foreach (var row in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(Domain.Common.UserId.Parse(row.UserId));
            }
        }

        return list;
    }

    internal sealed class UserIdRow
    {
        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";
    }
}
