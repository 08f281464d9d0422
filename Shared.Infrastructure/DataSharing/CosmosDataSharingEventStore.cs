using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// Raw events as documents in the submitting user's partition of the users container; a night's events are read with
/// one prefix query over the tenant's partitions. Deletion reads ids then deletes one by one (Cosmos has no delete-by-query).
/// </summary>
public sealed class CosmosDataSharingEventStore(CosmosDatabase db) : IDataSharingEventStore
{
    public const string Type = "data_sharing_event";
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task AddAsync(TenantId tenantId, IReadOnlyList<DataSharingEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            using var payload = CosmosStreams.Serialize(new DataSharingEventDocument
            {
                Id = "dse:" + Guid.NewGuid().ToString("N"),
                TenantId = tenantId.Value,
                UserId = e.UserId.Value,
                Site = e.Site.Value,
                Kind = DataSharingEventKinds.Name(e.Kind),
                AtMs = e.At.ToUnixTimeMilliseconds(),
                Day = Text(DateOnly.FromDateTime(e.At.UtcDateTime)),
            });
            using var response = await _users.CreateItemStreamAsync(payload, Keys.User(tenantId, e.UserId), cancellationToken: cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<IReadOnlyList<DataSharingEvent>> ListDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.day = @day").WithParameter("@type", Type).WithParameter("@day", Text(day));
        var docs = await QueryAsync(tenantId, query, cancellationToken);
        return [.. docs.Select(d => new DataSharingEvent(UserId.Parse(d.UserId), RegistrableDomain.Parse(d.Site), DataSharingEventKinds.Parse(d.Kind), DateTimeOffset.FromUnixTimeMilliseconds(d.AtMs)))];
    }

    public async Task<int> DeleteDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.day = @day").WithParameter("@type", Type).WithParameter("@day", Text(day));
        return await DeleteAsync(tenantId, await QueryAsync(tenantId, query, cancellationToken), cancellationToken);
    }

    /// <summary>One query in the user's own partition (not the tenant-wide prefix), then deletes.</summary>
    public async Task<int> DeleteUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var list = new List<DataSharingEventDocument>();
        using var iterator = _users.GetItemQueryIterator<DataSharingEventDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", Type),
            requestOptions: new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId) });
        while (iterator.HasMoreResults)
        {
            list.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return await DeleteAsync(tenantId, list, cancellationToken);
    }

    public async Task<int> DeleteBeforeAsync(TenantId tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.at_ms < @cutoff").WithParameter("@type", Type).WithParameter("@cutoff", cutoff.ToUnixTimeMilliseconds());
        return await DeleteAsync(tenantId, await QueryAsync(tenantId, query, cancellationToken), cancellationToken);
    }

    private async Task<int> DeleteAsync(TenantId tenantId, List<DataSharingEventDocument> docs, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var doc in docs)
        {
            using var response = await _users.DeleteItemStreamAsync(doc.Id, Keys.User(tenantId, UserId.Parse(doc.UserId)), cancellationToken: cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
                deleted++;
            }
        }

        return deleted;
    }

    private async Task<List<DataSharingEventDocument>> QueryAsync(TenantId tenantId, QueryDefinition query, CancellationToken cancellationToken)
    {
        var list = new List<DataSharingEventDocument>();
        using var iterator = _users.GetItemQueryIterator<DataSharingEventDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            list.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return list;
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
