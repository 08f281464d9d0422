using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers in Cosmos DB: each offer and its likes in the partition [tenantId, offerId] of <c>offers</c>. A like (or
/// unlike) and the offer's count change in one transactional batch, the offer replaced on the ETag it was read with, so
/// the count is exact under concurrency (a lost race retries from a fresh read; an existing like document makes a
/// repeat a no-op). A pin code's list is a prefix query over the tenant's offers (ARRAY_CONTAINS on the pin codes,
/// validity at read time, keyset by offer id).
/// </summary>
public sealed class CosmosOfferStore(CosmosDatabase db) : IOfferStore
{
    private const int MaxAttempts = 50;
    private readonly Container _offers = db.Container(CosmosContainers.Offers);

    private static PartitionKey Key(TenantId tenantId, string offerId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(offerId).Build();

    public async Task CreateAsync(Offer offer, CancellationToken cancellationToken)
    {
        if (!await _offers.TryCreateAsync(OfferDocument.From(offer), Key(offer.TenantId, offer.Id), cancellationToken))
        {
            throw new InvalidOperationException($"Offer {offer.Id} exists already.");
        }
    }

    public async Task<Offer?> GetAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken) =>
        (await _offers.ReadAsync<OfferDocument>(OfferDocument.DocumentId, Key(tenantId, offerId), cancellationToken)).Document?.ToOffer();

    public Task<bool> UpdateAsync(Offer offer, CancellationToken cancellationToken) =>
        _offers.ChangeAsync<OfferDocument>(
            OfferDocument.DocumentId,
            Key(offer.TenantId, offer.Id),
            current =>
            {
                var next = OfferDocument.From(offer);
                next.LikeCount = current.LikeCount; // likes are counted apart from the details
                return next;
            },
            MaxAttempts,
            $"Offer {offer.Id}",
            cancellationToken);

    public async Task<bool> DeleteAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, offerId);
        using (var response = await _offers.DeleteItemStreamAsync(OfferDocument.DocumentId, key, cancellationToken: cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            response.EnsureSuccessStatusCode();
        }

        // The offer is gone first (nobody can like it any more), then its likes.
        var likes = await CosmosQueries.ListAsync<IdRow>(_offers, new QueryDefinition("SELECT c.id FROM c WHERE c.type = 'offer_like'"), key, cancellationToken);
        foreach (var id in likes.Select(r => r.Id))
        {
            using var response = await _offers.DeleteItemStreamAsync(id, key, cancellationToken: cancellationToken);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
            }
        }

        return true;
    }

    public async Task<IReadOnlyList<Offer>> ListActiveAsync(TenantId tenantId, string pinCode, DateTimeOffset now, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @n * FROM c WHERE c.type = 'offer' AND ARRAY_CONTAINS(c.pin_codes, @pin) AND c.valid_from_ms <= @now AND c.valid_until_ms > @now AND c.offerId > @after ORDER BY c.offerId")
            .WithParameter("@n", pageSize)
            .WithParameter("@pin", pinCode)
            .WithParameter("@now", now.ToUnixTimeMilliseconds())
            .WithParameter("@after", after ?? "");
        return [.. (await QueryAsync<OfferDocument>(tenantId, query, pageSize, cancellationToken)).Select(d => d.ToOffer())];
    }

    public Task<long?> LikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken) => ChangeLikeAsync(tenantId, offerId, userId, like: true, cancellationToken);

    public Task<long?> UnlikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken) => ChangeLikeAsync(tenantId, offerId, userId, like: false, cancellationToken);

    private async Task<long?> ChangeLikeAsync(TenantId tenantId, string offerId, UserId userId, bool like, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, offerId);
        var likeId = OfferLikeDocument.IdOf(userId.Value);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (offer, etag) = await _offers.ReadAsync<OfferDocument>(OfferDocument.DocumentId, key, cancellationToken);
            if (offer is null)
            {
                return null;
            }

            var (existing, _) = await _offers.ReadAsync<OfferLikeDocument>(likeId, key, cancellationToken);
            if ((existing is not null) == like)
            {
                return offer.LikeCount; // already as asked
            }

            offer.LikeCount += like ? 1 : -1;
            var batch = _offers.CreateTransactionalBatch(key)
                .ReplaceItemStream(OfferDocument.DocumentId, CosmosStreams.Serialize(offer), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag });
            batch = like
                ? batch.CreateItemStream(CosmosStreams.Serialize(new OfferLikeDocument { Id = likeId, TenantId = tenantId.Value, OfferId = offerId, UserId = userId.Value }))
                : batch.DeleteItem(likeId);
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return offer.LikeCount;
            }

            if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound))
            {
                throw new CosmosException($"Like batch failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
            }
        }

        throw new InvalidOperationException($"Offer {offerId} changed under {MaxAttempts} attempts in a row.");
    }

    public async Task<int> DeleteExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @n * FROM c WHERE c.type = 'offer' AND c.valid_until_ms <= @now")
            .WithParameter("@n", max)
            .WithParameter("@now", now.ToUnixTimeMilliseconds());
        var deleted = 0;
        foreach (var offer in await QueryAsync<OfferDocument>(tenantId, query, max, cancellationToken))
        {
            deleted += await DeleteAsync(tenantId, offer.OfferId, cancellationToken) ? 1 : 0;
        }

        return deleted;
    }

    /// <summary>A query over the tenant's offers (a partition-key prefix: only the tenant's partitions are read).</summary>
    private Task<List<T>> QueryAsync<T>(TenantId tenantId, QueryDefinition query, int max, CancellationToken cancellationToken) =>
        CosmosQueries.ListAsync<T>(_offers, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) }, max, cancellationToken);

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}
