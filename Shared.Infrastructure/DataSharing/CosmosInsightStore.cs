using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Anonymized aggregates in their own container, one logical partition per tenant and day.</summary>
public sealed class CosmosInsightStore(CosmosDatabase db) : IInsightStore
{
    private const string DoneId = "day-done";
    private readonly Container _insights = db.Container(CosmosContainers.Insights);

    public async Task<bool> IsDayDoneAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var (doc, _) = await _insights.ReadAsync<InsightDocument>(DoneId, Key(tenantId, day), cancellationToken);
        return doc is not null;
    }

    public async Task SaveDayAsync(TenantId tenantId, DateOnly day, IReadOnlyList<InsightRow> rows, CancellationToken cancellationToken)
    {
        // Rows first (deterministic ids: a repeat overwrites with the same values), the day's marker last.
        foreach (var row in rows)
        {
            using var payload = CosmosStreams.Serialize(new InsightDocument
            {
                Id = Keys.Hashed("insight:", $"{row.Metric}\n{row.Dimension}"),
                TenantId = tenantId.Value,
                Day = Text(day),
                Metric = row.Metric,
                Dimension = row.Dimension,
                Events = row.Events,
                Contributors = row.Contributors,
            });
            using var response = await _insights.UpsertItemStreamAsync(payload, Key(tenantId, day), cancellationToken: cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        await _insights.TryCreateAsync(new InsightDocument { Id = DoneId, TenantId = tenantId.Value, Day = Text(day), Type = "day_done" }, Key(tenantId, day), cancellationToken);
    }

    public async Task<IReadOnlyList<InsightRow>> ListAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var list = new List<InsightRow>();
        using var iterator = _insights.GetItemQueryIterator<InsightDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'insight'"),
            requestOptions: new QueryRequestOptions { PartitionKey = Key(tenantId, day) });
        while (iterator.HasMoreResults)
        {
            foreach (var doc in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(new InsightRow(tenantId, day, doc.Metric, doc.Dimension, doc.Events, doc.Contributors));
            }
        }

        return [.. list.OrderBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Dimension, StringComparer.Ordinal)];
    }

    private static PartitionKey Key(TenantId tenantId, DateOnly day) => new PartitionKeyBuilder().Add(tenantId.Value).Add(Text(day)).Build();

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
