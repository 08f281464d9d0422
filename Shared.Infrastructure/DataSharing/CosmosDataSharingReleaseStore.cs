using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// Releases in the insights container (one fixed id per [tenant, day] partition, so create-if-absent makes a day unique),
/// listed with a prefix query over the tenant; budget reservations in one document per tenant and month (partition
/// [tenant, "budget:yyyy-MM"]) replaced on its ETag; contribution marks in each user's own partition of the users container.
/// </summary>
public sealed class CosmosDataSharingReleaseStore(CosmosDatabase db) : IDataSharingReleaseStore
{
    public const string ReleaseId = "dp_release";
    public const string ReleaseType = "dp_release";
    public const string ContributionType = "data_sharing_contribution";
    public const string BudgetId = "dp_budget";
    public const string BudgetType = "dp_budget";
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
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => ToRecord(tenantId, d)));
        }

        return [.. list.OrderBy(r => r.Day)];
    }

    public async Task<DataSharingReleaseRecord?> FindAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
        (await _insights.ReadAsync<DataSharingReleaseDocument>(ReleaseId, Key(tenantId, day), cancellationToken)).Document is { } d ? ToRecord(tenantId, d) : null;

    private static DataSharingReleaseRecord ToRecord(TenantId tenantId, DataSharingReleaseDocument d) => new(
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
        d.ExportedAtMs is { } x ? DateTimeOffset.FromUnixTimeMilliseconds(x) : null);

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

    /// <summary>
    /// Read the month's budget document and released days, decide, write the document back on its ETag (or create it);
    /// a concurrent reservation changes the ETag, so the loser reads again and decides on the new ledger. Released days
    /// are read beside it because releases made before reservations existed are in no budget document; every release
    /// made since holds a reservation in it, so a release stored between that read and the write is already counted.
    /// </summary>
    public async Task<Result<PrivacyLedger>> ReserveAsync(BudgetReservation reservation, PrivacySpend monthlyBudget, CancellationToken cancellationToken)
    {
        var tenant = reservation.TenantId;
        var key = BudgetKey(tenant, reservation.Day);
        while (true)
        {
            var (doc, etag) = await _insights.ReadAsync<DataSharingBudgetDocument>(BudgetId, key, cancellationToken);
            var released = await ReleasedInMonthAsync(tenant, reservation.Day, cancellationToken);
            var reserved = (doc?.Reservations ?? []).Select(e => new BudgetReservation(tenant, Day(e.Day), new PrivacySpend(Number(e.Epsilon), Number(e.Delta)), e.RunId, DateTimeOffset.FromUnixTimeMilliseconds(e.ReservedAtMs)));
            var decided = BudgetReservations.Decide(reservation, reserved, released, monthlyBudget);
            if (!decided.IsSuccess)
            {
                return decided.Error!;
            }

            if (decided.Value.Outcome == BudgetReservationOutcome.Held)
            {
                return decided.Value.LedgerBefore;
            }

            var updated = doc ?? new DataSharingBudgetDocument { TenantId = tenant.Value, Day = BudgetMonth(reservation.Day) };
            updated.Reservations.RemoveAll(e => e.Day == Text(reservation.Day));
            updated.Reservations.Add(new DataSharingBudgetEntry
            {
                Day = Text(reservation.Day),
                Epsilon = reservation.Spend.Epsilon.ToString(CultureInfo.InvariantCulture),
                Delta = reservation.Spend.Delta.ToString(CultureInfo.InvariantCulture),
                RunId = reservation.RunId,
                ReservedAtMs = reservation.ReservedAt.ToUnixTimeMilliseconds(),
            });
            var written = doc is null
                ? await _insights.TryCreateAsync(updated, key, cancellationToken)
                : await _insights.TryReplaceAsync(updated, BudgetId, key, etag!, cancellationToken);
            if (written)
            {
                return decided.Value.LedgerBefore;
            }
        }
    }

    public async Task<bool> CancelReservationAsync(TenantId tenantId, DateOnly day, string runId, CancellationToken cancellationToken)
    {
        var key = BudgetKey(tenantId, day);
        while (true)
        {
            var (doc, etag) = await _insights.ReadAsync<DataSharingBudgetDocument>(BudgetId, key, cancellationToken);
            if (doc is null || doc.Reservations.RemoveAll(e => e.Day == Text(day) && e.RunId == runId) == 0)
            {
                return false;
            }

            if (await _insights.TryReplaceAsync(doc, BudgetId, key, etag!, cancellationToken))
            {
                return true;
            }
        }
    }

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

    /// <summary>One query over the tenant's user partitions (a prefix of the hierarchical key), for crediting a sale.</summary>
    public async Task<IReadOnlyList<UserId>> ListContributorsAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var list = new List<UserId>();
        using var iterator = _users.GetItemQueryIterator<DataSharingContributionDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.day = @day").WithParameter("@type", ContributionType).WithParameter("@day", Text(day)),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => UserId.Parse(d.UserId)));
        }

        return [.. list.Distinct().OrderBy(u => u.Value, StringComparer.Ordinal)];
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

    private async Task<List<PrivacyLedgerEntry>> ReleasedInMonthAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var list = new List<PrivacyLedgerEntry>();
        using var iterator = _insights.GetItemQueryIterator<DataSharingReleaseDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND STARTSWITH(c.day, @month)").WithParameter("@type", ReleaseType).WithParameter("@month", day.ToString("yyyy-MM-", CultureInfo.InvariantCulture)),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            foreach (var d in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(new PrivacyLedgerEntry(d.ReleaseId, Day(d.Day), new PrivacySpend(Number(d.Epsilon), Number(d.Delta))));
            }
        }

        return list;
    }

    private static PartitionKey BudgetKey(TenantId tenantId, DateOnly day) => new PartitionKeyBuilder().Add(tenantId.Value).Add(BudgetMonth(day)).Build();

    private static string BudgetMonth(DateOnly day) => "budget:" + day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal Number(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static PartitionKey Key(TenantId tenantId, DateOnly day) => new PartitionKeyBuilder().Add(tenantId.Value).Add(Text(day)).Build();

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
