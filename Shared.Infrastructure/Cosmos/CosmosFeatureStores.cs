using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Cosmos;

internal sealed class FeatureRequestDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "feature_request";

    public string RequestText { get; set; } = "";

    public string Status { get; set; } = "";

    public string Reservation { get; set; } = "";

    public string Queue { get; set; } = "";

    public string? GeneratedCode { get; set; }

    public string? GeneratedBy { get; set; }

    public string? FailureReason { get; set; }

    public int Attempts { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public long? CompletedAtMs { get; set; }

    /// <summary>Documents written before retries were scheduled have none: their one message was round 1.</summary>
    public int Round { get; set; } = 1;

    public long? RetryBudgetFromMs { get; set; }

    public long? NextAttemptAtMs { get; set; }

    /// <summary>Filled in query results (reads and writes carry the ETag in a header instead).</summary>
    [JsonPropertyName("_etag")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; set; }

    public static FeatureRequestDocument From(FeatureRequest r) => new()
    {
        Id = r.Id,
        TenantId = r.TenantId.Value,
        UserId = r.UserId.Value,
        RequestText = r.RequestText,
        Status = FeatureText.Format(r.Status),
        Reservation = FeatureText.Format(r.Reservation),
        Queue = r.Queue,
        GeneratedCode = r.GeneratedCode,
        GeneratedBy = r.GeneratedBy,
        FailureReason = r.FailureReason,
        Attempts = r.Attempts,
        CreatedAtMs = r.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = r.UpdatedAt.ToUnixTimeMilliseconds(),
        CompletedAtMs = r.CompletedAt?.ToUnixTimeMilliseconds(),
        Round = r.Round,
        RetryBudgetFromMs = r.RetryBudgetFrom?.ToUnixTimeMilliseconds(),
        NextAttemptAtMs = r.NextAttemptAt?.ToUnixTimeMilliseconds(),
    };

    public FeatureRequest ToRequest(string etag) => new()
    {
        Id = Id,
        TenantId = Domain.Common.TenantId.Parse(TenantId),
        UserId = Domain.Common.UserId.Parse(UserId),
        RequestText = RequestText,
        Status = FeatureText.ParseStatus(Status),
        Reservation = FeatureText.ParseReservation(Reservation),
        Queue = Queue,
        GeneratedCode = GeneratedCode,
        GeneratedBy = GeneratedBy,
        FailureReason = FailureReason,
        Attempts = Attempts,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
        CompletedAt = CompletedAtMs is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
        Round = Math.Max(1, Round),
        RetryBudgetFrom = RetryBudgetFromMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        NextAttemptAt = NextAttemptAtMs is { } n ? DateTimeOffset.FromUnixTimeMilliseconds(n) : null,
        Version = etag,
    };
}

/// <summary>Feature requests live in the user's own partition of the users container, beside the quota they reserve from.</summary>
public sealed class CosmosFeatureRequestStore(CosmosDatabase db) : IFeatureRequestStore
{
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken) =>
        _users.TryCreateAsync(FeatureRequestDocument.From(request), Keys.User(request.TenantId, request.UserId), cancellationToken);

    public async Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken)
    {
        var (doc, etag) = await _users.ReadAsync<FeatureRequestDocument>(id, Keys.User(tenantId, userId), cancellationToken);
        return doc is { Type: "feature_request" } ? doc.ToRequest(etag!) : null;
    }

    public async Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(FeatureRequestDocument.From(updated));
        using var response = await _users.ReplaceItemStreamAsync(payload, updated.Id, Keys.User(updated.TenantId, updated.UserId), new ItemRequestOptions { IfMatchEtag = updated.Version }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return updated with { Version = response.Headers.ETag };
    }

    public async Task DeleteAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken)
    {
        using var response = await _users.DeleteItemStreamAsync(id, Keys.User(tenantId, userId), cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken)
    {
        var cosmosToken = continuation is null ? null : ContinuationText.Decode(continuation);
        using var page = await FirstPageAsync(tenantId, userId, max, cosmosToken, cancellationToken);
        if (page.StatusCode == HttpStatusCode.BadRequest && cosmosToken is not null)
        {
            throw new InvalidContinuationException("Not a continuation token of this list.");
        }

        page.EnsureSuccessStatusCode();
        var items = (await CosmosStreams.DeserializeAsync<QueryPage<FeatureRequestDocument>>(page, cancellationToken)).Documents
            .Select(d => d.ToRequest(d.ETag ?? "")).ToList();
        var next = page.ContinuationToken;
        return new FeatureRequestPage(items, next is null ? null : ContinuationText.Encode(next));
    }

    private async Task<ResponseMessage> FirstPageAsync(TenantId tenantId, UserId userId, int max, string? cosmosToken, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'feature_request' ORDER BY c.created_at_ms DESC");
        try
        {
            using var iterator = _users.GetItemQueryStreamIterator(query, cosmosToken, new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId), MaxItemCount = max });
            return await iterator.ReadNextAsync(cancellationToken);
        }
        catch (Exception e) when (cosmosToken is not null && e is CosmosException { StatusCode: HttpStatusCode.BadRequest } or ArgumentException or FormatException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException)
        {
            // The SDK parses the token client-side; one it did not issue may be refused before any request is sent.
            throw new InvalidContinuationException("Not a continuation token of this list.");
        }
    }

    public Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'feature_request' AND (c.status = 'pending' OR c.status = 'processing') AND c.updated_at_ms < @before "
                + "AND (NOT IS_DEFINED(c.next_attempt_at_ms) OR IS_NULL(c.next_attempt_at_ms) OR c.next_attempt_at_ms < @before) ORDER BY c.updated_at_ms")
                .WithParameter("@max", max).WithParameter("@before", updatedBefore.ToUnixTimeMilliseconds()),
            new PartitionKeyBuilder().Add(tenantId.Value).Build(),
            cancellationToken);

    public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'feature_request' AND c.created_at_ms >= @from AND c.created_at_ms < @to")
                .WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds()),
            Keys.User(tenantId, userId),
            cancellationToken);

    private async Task<IReadOnlyList<FeatureRequest>> QueryAsync(QueryDefinition query, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        var list = new List<FeatureRequest>();
        using var iterator = _users.GetItemQueryIterator<FeatureRequestDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = partitionKey });
        while (iterator.HasMoreResults)
        {
            foreach (var doc in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(doc.ToRequest(doc.ETag ?? ""));
            }
        }

        return list;
    }
}

internal sealed class QueryPage<T>
{
    // The SDK's query stream names the page's array "Documents"; the wire naming policy (snake_case) would look for "documents".
    [JsonPropertyName("Documents")]
    public List<T> Documents { get; set; } = [];
}

internal sealed class DataSharingDocument
{
    public string Id { get; set; } = "data_sharing";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "data_sharing";

    public bool OptIn { get; set; }

    public int ProfitSplit { get; set; }

    public long UpdatedAtMs { get; set; }
}

public sealed class CosmosDataSharingStore(CosmosDatabase db) : IDataSharingStore
{
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task SetAsync(DataSharingPreference preference, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(new DataSharingDocument
        {
            TenantId = preference.TenantId.Value,
            UserId = preference.UserId.Value,
            OptIn = preference.OptIn,
            ProfitSplit = preference.ProfitSplit,
            UpdatedAtMs = preference.UpdatedAt.ToUnixTimeMilliseconds(),
        });
        using var response = await _users.UpsertItemStreamAsync(payload, Keys.User(preference.TenantId, preference.UserId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<DataSharingPreference?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _users.ReadAsync<DataSharingDocument>("data_sharing", Keys.User(tenantId, userId), cancellationToken);
        return doc is null ? null : new DataSharingPreference(tenantId, userId, doc.OptIn, doc.ProfitSplit, DateTimeOffset.FromUnixTimeMilliseconds(doc.UpdatedAtMs));
    }

    public async Task<IReadOnlyList<UserId>> ListOptedInAsync(TenantId tenantId, UserId? after, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max c.userId FROM c WHERE c.type = 'data_sharing' AND c.opt_in = true AND c.userId > @after ORDER BY c.userId")
            .WithParameter("@max", max).WithParameter("@after", after?.Value ?? "");
        return await CosmosQueries.UserIdsAsync(_users, query, tenantId, cancellationToken);
    }
}

internal sealed class InsightDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("day")]
    public string Day { get; set; } = "";

    public string Type { get; set; } = "insight";

    public string Metric { get; set; } = "";

    public string Dimension { get; set; } = "";

    public int Events { get; set; }

    public int Contributors { get; set; }
}

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

internal sealed class UsageArchiveDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "usage_archive";

    public string PlanId { get; set; } = "";

    public long PeriodStartMs { get; set; }

    public long PeriodEndMs { get; set; }

    public int Used { get; set; }

    public static string IdFor(UsagePeriod period) => "archive:" + period.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

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
