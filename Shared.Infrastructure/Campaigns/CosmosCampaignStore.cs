using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Campaigns in Cosmos DB: the campaign document and its batch documents in the partition [tenantId, campaignId] of
/// <c>campaigns</c> (a campaign's work never leaves its partition; a partition holds one campaign, far below the 20 GB
/// limit at 500 recipients a batch document). The campaign is replaced on its ETag (its revision). The snapshot
/// upserts the batch documents first and then replaces the campaign with their count on its ETag: only that replace
/// makes them part of the campaign, and a snapshot is never redone after it, so a crash midway leaves nothing that
/// counts. Deliveries are recorded into their batch document on its ETag, merged so that a delivery recorded first
/// stays (the map key is recipient and channel: once each). An erased customer's id is replaced in the batch
/// documents by its pseudonym (<see cref="CosmosCampaignPersonalData"/>, on the same ETags), so a batch still in
/// flight skips them (no consent is found for the pseudonym) and is not charged for them.
/// </summary>
public sealed class CosmosCampaignStore(CosmosDatabase db, TimeProvider time) : ICampaignStore
{
    private const string CampaignDocumentId = "campaign";
    private const int MaxAttempts = 50;
    private const int WriteConcurrency = 8;
    private readonly Container _campaigns = db.Container(CosmosContainers.Campaigns);

    private static PartitionKey Key(TenantId tenantId, string campaignId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(campaignId).Build();

    /// <summary>
    /// Admits a campaign under its shopkeeper's cap in three steps, each safe to stop after: (1) the campaign document
    /// is created <see cref="CampaignDocument.Pending"/> (it reads as no campaign, so nothing dispatches it); (2) its id
    /// is added to the shopkeeper's <see cref="CampaignSlotsDocument"/> on the ETag if fewer than
    /// <paramref name="maxActive"/> of the ids there are still active; (3) the campaign is admitted (Pending cleared)
    /// on the ETag it was created with. Refused at (2), the pending document is deleted on that ETag. A campaign only
    /// becomes active through (3), after its place was taken, and a place is only given up once its campaign is
    /// finished or its document gone (a pending one older than <see cref="PendingGrace"/>, left by a crash, is first
    /// deleted on its ETag, so it can never be admitted afterwards): the active campaigns never exceed the places.
    /// A retry of the same request (same shopkeeper and request hash) finds its pending document and carries on.
    /// </summary>
    public async Task<CampaignCreation> TryCreateAsync(Campaign campaign, int maxActive, CancellationToken cancellationToken)
    {
        var key = Key(campaign.TenantId, campaign.Id);
        var document = CampaignDocument.From(campaign);
        document.Id = CampaignDocumentId;
        document.Pending = true;
        string? etag;
        using (var payload = CosmosStreams.Serialize(document))
        using (var created = await _campaigns.CreateItemStreamAsync(payload, key, cancellationToken: cancellationToken))
        {
            if (created.StatusCode != HttpStatusCode.Conflict)
            {
                created.EnsureSuccessStatusCode();
            }

            etag = created.StatusCode == HttpStatusCode.Conflict ? null : created.Headers.ETag;
        }

        if (etag is null)
        {
            var (existing, existingEtag) = await _campaigns.ReadAsync<CampaignDocument>(CampaignDocumentId, key, cancellationToken);
            if (existing is null || !existing.Pending || existing.ShopkeeperId != document.ShopkeeperId || existing.RequestHash != document.RequestHash)
            {
                return CampaignCreation.Exists; // admitted already, or another request's (the caller reads which)
            }

            (document, etag) = (existing, existingEtag!);
        }

        if (IsActive(document) && !await TakePlaceAsync(campaign.TenantId, campaign.ShopkeeperId, campaign.Id, maxActive, cancellationToken))
        {
            using var deleted = await _campaigns.DeleteItemStreamAsync(CampaignDocumentId, key, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            if (deleted.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound))
            {
                deleted.EnsureSuccessStatusCode();
            }

            return deleted.StatusCode == HttpStatusCode.PreconditionFailed ? CampaignCreation.Exists : CampaignCreation.TooManyActive;
        }

        document.Pending = false;
        using var admission = CosmosStreams.Serialize(document);
        using var admitted = await _campaigns.ReplaceItemStreamAsync(admission, CampaignDocumentId, key, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
        switch (admitted.StatusCode)
        {
            case HttpStatusCode.PreconditionFailed:
                return CampaignCreation.Exists; // a concurrent retry of the same request admitted it
            case HttpStatusCode.NotFound:
                return CampaignCreation.TooManyActive; // refused by a concurrent retry, or deleted as stale
            default:
                admitted.EnsureSuccessStatusCode();
                return CampaignCreation.Created;
        }
    }

    /// <summary>A pending campaign document older than this is taken as left by a crash when its place is needed.</summary>
    public static readonly TimeSpan PendingGrace = TimeSpan.FromMinutes(2);

    private static bool IsActive(CampaignDocument document) => document.Status is "queued" or "dispatching";

    /// <summary>Adds the campaign to its shopkeeper's places if one is free (places of finished campaigns are freed first).</summary>
    private async Task<bool> TakePlaceAsync(TenantId tenantId, UserId shopkeeper, string campaignId, int maxActive, CancellationToken cancellationToken)
    {
        var partition = CampaignSlotsDocument.PartitionOf(shopkeeper);
        var key = Key(tenantId, partition);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (slots, etag) = await _campaigns.ReadAsync<CampaignSlotsDocument>(CampaignSlotsDocument.DocumentId, key, cancellationToken);
            if (slots?.Campaigns.Contains(campaignId) == true)
            {
                return true; // a retry of this admission
            }

            slots ??= new CampaignSlotsDocument { TenantId = tenantId.Value, CampaignId = partition };
            if (slots.Campaigns.Count >= maxActive)
            {
                slots.Campaigns = await StillActiveAsync(tenantId, slots.Campaigns, cancellationToken);
                if (slots.Campaigns.Count >= maxActive)
                {
                    return false;
                }
            }

            slots.Campaigns.Add(campaignId);
            if (etag is null ? await _campaigns.TryCreateAsync(slots, key, cancellationToken) : await _campaigns.TryReplaceAsync(slots, slots.Id, key, etag, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The campaign places of a shopkeeper changed under {MaxAttempts} attempts in a row.");
    }

    /// <summary>The ids whose campaign still holds its place: queued or dispatching, or pending and recent (being admitted).</summary>
    private async Task<List<string>> StillActiveAsync(TenantId tenantId, List<string> ids, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var keep = await Task.WhenAll(ids.Select(async id =>
        {
            var key = Key(tenantId, id);
            var (document, etag) = await _campaigns.ReadAsync<CampaignDocument>(CampaignDocumentId, key, cancellationToken);
            if (document is null || !IsActive(document))
            {
                return false;
            }

            if (!document.Pending || now - document.CreatedAtMs < PendingGrace.TotalMilliseconds)
            {
                return true;
            }

            // Left pending by a crash: deleted on its ETag, so it can no longer be admitted (an admission that won the
            // race makes this delete fail, and the campaign keeps its place).
            using var deleted = await _campaigns.DeleteItemStreamAsync(CampaignDocumentId, key, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            if (deleted.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return true;
            }

            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccessStatusCode();
            }

            return false;
        }));
        return [.. ids.Where((_, i) => keep[i])];
    }

    public async Task<Campaign?> GetAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken)
    {
        var (document, etag) = await _campaigns.ReadAsync<CampaignDocument>(CampaignDocumentId, Key(tenantId, campaignId), cancellationToken);
        return document is { Pending: false } ? document.ToCampaign(etag!) : null;
    }

    public async Task<Campaign?> TryReplaceAsync(Campaign next, CancellationToken cancellationToken)
    {
        var document = CampaignDocument.From(next);
        document.Id = CampaignDocumentId;
        using var payload = CosmosStreams.Serialize(document);
        using var response = await _campaigns.ReplaceItemStreamAsync(payload, CampaignDocumentId, Key(next.TenantId, next.Id), new ItemRequestOptions { IfMatchEtag = next.Revision }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return next with { Revision = response.Headers.ETag };
    }

    public async Task<Campaign?> SaveSnapshotAsync(Campaign next, IReadOnlyList<IReadOnlyList<CampaignRecipient>> batches, CancellationToken cancellationToken)
    {
        var key = Key(next.TenantId, next.Id);
        await Parallel.ForAsync(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken }, async (n, ct) =>
        {
            var document = new CampaignBatchDocument
            {
                Id = CampaignBatchDocument.IdOf(n),
                TenantId = next.TenantId.Value,
                CampaignId = next.Id,
                Batch = n,
                Recipients = batches[n].ToDictionary(r => r.UserId.Value, r => r.Channels.Select(CampaignChannels.Format).ToList(), StringComparer.Ordinal),
                Users = [.. batches[n].Select(r => r.UserId.Value)],
            };
            using var payload = CosmosStreams.Serialize(document);
            using var response = await _campaigns.UpsertItemStreamAsync(payload, key, cancellationToken: ct);
            response.EnsureSuccessStatusCode();
        });
        return await TryReplaceAsync(next, cancellationToken);
    }

    public async Task<CampaignBatch?> GetBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken)
    {
        var (document, _) = await _campaigns.ReadAsync<CampaignBatchDocument>(CampaignBatchDocument.IdOf(batch), Key(tenantId, campaignId), cancellationToken);
        return document is null ? null : new CampaignBatch(
            batch,
            [.. document.Recipients.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new CampaignRecipient(UserId.Parse(r.Key), [.. r.Value.Select(CampaignChannels.Parse)]))],
            [.. document.Deliveries.Select(d => Delivery(d.Key, d.Value))],
            document.Done);
    }

    public Task RecordDeliveriesAsync(TenantId tenantId, string campaignId, int batch, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken) =>
        ChangeBatchAsync(tenantId, campaignId, batch, document =>
        {
            foreach (var d in deliveries)
            {
                // A recipient erased since the batch was read is in the document under its pseudonym only: the
                // delivery is recorded under it too, so the erased id is never written back (and the charge stays).
                var user = document.Recipients.ContainsKey(d.UserId.Value) ? d.UserId : ErasedUserKey.PseudonymOf(tenantId, d.UserId);
                document.Deliveries.TryAdd(DeliveryKey(user, d.Channel), CampaignChannels.Format(d.Status)); // the first recorded stays
            }
        }, cancellationToken);

    public async Task<int> CompleteBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, campaignId);
        for (var attempt = 0; ; attempt++)
        {
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"Batch {batch} of campaign {campaignId} changed under {MaxAttempts} attempts in a row.");
            }

            var (document, etag) = await _campaigns.ReadAsync<CampaignBatchDocument>(CampaignBatchDocument.IdOf(batch), key, cancellationToken);
            if (document is null)
            {
                throw new InvalidOperationException($"Batch {batch} of campaign {campaignId} does not exist.");
            }

            if (document.Done)
            {
                break; // counted when it was marked done
            }

            var (campaign, campaignEtag) = await _campaigns.ReadAsync<CampaignDocument>(CampaignDocumentId, key, cancellationToken);
            if (campaign is null)
            {
                throw new InvalidOperationException($"Campaign {campaignId} of batch {batch} does not exist.");
            }

            // The batch marked done and its deliveries added to the campaign's running totals in one transactional
            // batch (one partition), each on the ETag it was read with: both or neither, and only once.
            document.Done = true;
            foreach (var status in document.Deliveries.Values.Select(CampaignChannels.ParseDelivery))
            {
                _ = status switch
                {
                    DeliveryStatus.Delivered => campaign.Sent++,
                    DeliveryStatus.Failed => campaign.Failed++,
                    _ => campaign.Skipped++,
                };
            }

            using var response = await _campaigns.CreateTransactionalBatch(key)
                .ReplaceItemStream(document.Id, CosmosStreams.Serialize(document), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag })
                .ReplaceItemStream(CampaignDocumentId, CosmosStreams.Serialize(campaign), new TransactionalBatchItemRequestOptions { IfMatchEtag = campaignEtag })
                .ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                break;
            }

            if (response.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                throw new CosmosException($"Completing batch {batch} of campaign {campaignId} failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
            }
        }

        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'campaign_batch' AND c.done = true");
        return (await CosmosQueries.ListAsync<int>(_campaigns, query, Key(tenantId, campaignId), cancellationToken)).Sum();
    }

    public async Task<CampaignTotals> TotalsAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken)
    {
        var batches = await CosmosQueries.ListAsync<CampaignBatchDocument>(_campaigns, new QueryDefinition("SELECT * FROM c WHERE c.type = 'campaign_batch'"), Key(tenantId, campaignId), cancellationToken);
        return CampaignTotals.From([.. batches.SelectMany(b => b.Deliveries).Select(d => Delivery(d.Key, d.Value)).Select(d => (d.Channel, d.Status, 1L))]);
    }

    private async Task ChangeBatchAsync(TenantId tenantId, string campaignId, int batch, Action<CampaignBatchDocument> change, CancellationToken cancellationToken)
    {
        var changed = await _campaigns.ChangeAsync<CampaignBatchDocument>(
            CampaignBatchDocument.IdOf(batch),
            Key(tenantId, campaignId),
            document =>
            {
                change(document);
                return document;
            },
            MaxAttempts,
            $"Batch {batch} of campaign {campaignId}",
            cancellationToken);
        if (!changed)
        {
            throw new InvalidOperationException($"Batch {batch} of campaign {campaignId} does not exist.");
        }
    }

    private static string DeliveryKey(UserId user, NotificationChannel channel) => user.Value + "|" + CampaignChannels.Format(channel);

    private static CampaignDelivery Delivery(string key, string status)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return new CampaignDelivery(UserId.Parse(key[..bar]), CampaignChannels.Parse(key[(bar + 1)..]), CampaignChannels.ParseDelivery(status));
    }
}
