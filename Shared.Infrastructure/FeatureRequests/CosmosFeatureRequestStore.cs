using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.FeatureRequests;

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

    public async Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken)
    {
        using var response = await _users.DeleteItemStreamAsync(request.Id, Keys.User(request.TenantId, request.UserId), new ItemRequestOptions { IfMatchEtag = request.Version }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
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
            Keys.TenantPrefix(tenantId),
            cancellationToken);

    public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'feature_request' AND c.created_at_ms >= @from AND c.created_at_ms < @to")
                .WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds()),
            Keys.User(tenantId, userId),
            cancellationToken);

    private async Task<IReadOnlyList<FeatureRequest>> QueryAsync(QueryDefinition query, PartitionKey partitionKey, CancellationToken cancellationToken) =>
        [.. (await CosmosQueries.ListAsync<FeatureRequestDocument>(_users, query, partitionKey, cancellationToken)).Select(doc => doc.ToRequest(doc.ETag ?? ""))];
}
