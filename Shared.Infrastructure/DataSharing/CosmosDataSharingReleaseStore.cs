using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// Releases in the insights container (one fixed id per [tenant, day] partition, so create-if-absent makes a day unique),
/// listed with a prefix query over the tenant; contribution marks in each user's own partition of the users container.
/// </summary>
public sealed class CosmosDataSharingReleaseStore(CosmosDatabase db) : IDataSharingReleaseStore
{
    public const string ReleaseId = "dp_release";
    public const string ReleaseType = "dp_release";
    public const string ContributionType = "data_sharing_contribution";
    private readonly Container _insights = db.Container(CosmosContainers.Insights);
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        var list = new List<DataSharingReleaseRecord>();
        using var iterator = _insights.GetItemQueryIterator<DataSharingReleaseDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", ReleaseType),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            foreach (var d in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(new DataSharingReleaseRecord(
                    tenantId,
                    DateOnly.ParseExact(d.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    d.ReleaseId,
                    decimal.Parse(d.Epsilon, CultureInfo.InvariantCulture),
                    decimal.Parse(d.Delta, CultureInfo.InvariantCulture),
                    d.Rows,
                    d.Blob,
                    d.RowsFile,
                    d.ManifestFile,
                    DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs),
                    d.ExportedAtMs is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x) : null));
            }
        }

        return [.. list.OrderBy(r => r.Day)];
    }

    public Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken) =>
        _insights.TryCreateAsync(
            new DataSharingReleaseDocument
            {
                TenantId = release.TenantId.Value,
                Day = Text(release.Day),
                ReleaseId = release.ReleaseId,
                Epsilon = release.Epsilon.ToString(CultureInfo.InvariantCulture),
                Delta = release.Delta.ToString(CultureInfo.InvariantCulture),
                Rows = release.Rows,
                Blob = release.Blob,
                RowsFile = release.RowsFile,
                ManifestFile = release.ManifestFile,
                CreatedAtMs = release.CreatedAt.ToUnixTimeMilliseconds(),
                ExportedAtMs = release.ExportedAt?.ToUnixTimeMilliseconds(),
            },
            Key(release.TenantId, release.Day),
            cancellationToken);

    public async Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (doc, etag) = await _insights.ReadAsync<DataSharingReleaseDocument>(ReleaseId, Key(tenantId, day), cancellationToken);
            if (doc is null)
            {
                throw new InvalidOperationException($"No release of {Text(day)} to mark exported.");
            }

            if (doc.ExportedAtMs is not null)
            {
                return;
            }

            doc.ExportedAtMs = exportedAt.ToUnixTimeMilliseconds();
            if (await _insights.TryReplaceAsync(doc, ReleaseId, Key(tenantId, day), etag!, cancellationToken))
            {
                return;
            }
        }
    }

    public async Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            // A fixed id per day: a repeat finds it and changes nothing.
            await _users.TryCreateAsync(
                new DataSharingContributionDocument { Id = "dsc:" + Text(day), TenantId = tenantId.Value, UserId = user.Value, Day = Text(day) },
                Keys.User(tenantId, user),
                cancellationToken);
        }
    }

    public async Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var count = 0;
        using var iterator = _users.GetItemQueryIterator<DataSharingContributionDocument>(
            new QueryDefinition("SELECT c.id FROM c WHERE c.type = @type").WithParameter("@type", ContributionType),
            requestOptions: new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId) });
        while (iterator.HasMoreResults)
        {
            count += (await iterator.ReadNextAsync(cancellationToken)).Count;
        }

        return count;
    }

    private static PartitionKey Key(TenantId tenantId, DateOnly day) => new PartitionKeyBuilder().Add(tenantId.Value).Add(Text(day)).Build();

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
