using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>
/// Campaigns, their snapshotted recipients (numbered batches) and their deliveries. Writes of the campaign are
/// conditional on its <see cref="Campaign.Revision"/>, so concurrent dispatch, batches and cancellation never lose
/// each other's changes; a delivery is recorded at most once per campaign, recipient and channel.
/// </summary>
public interface ICampaignStore
{
    /// <summary>
    /// Stores a new campaign if its shopkeeper has fewer than <paramref name="maxActive"/> active ones (queued or
    /// dispatching; the count is exact under concurrent creates); <see cref="CampaignCreation.Exists"/> when one with its
    /// id exists already (checked first: a retry of an accepted campaign is never refused by the cap), and nothing is
    /// written unless it answers <see cref="CampaignCreation.Created"/>. A campaign stops counting as soon as a write
    /// moves it out of queued or dispatching (completed, failed or cancelled), whatever wrote it and however often.
    /// </summary>
    Task<CampaignCreation> TryCreateAsync(Campaign campaign, int maxActive, CancellationToken cancellationToken);

    Task<Campaign?> GetAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken);

    /// <summary>Replaces the campaign if it is still at <paramref name="next"/>'s revision; null when it changed meanwhile.</summary>
    Task<Campaign?> TryReplaceAsync(Campaign next, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the recipients as batches 0..n-1 and the campaign (with <see cref="Campaign.BatchCount"/> = n) if it is
    /// still at its revision; null when it changed meanwhile (the batches written are then overwritten by the next try
    /// or never read: only a stored BatchCount makes them part of the campaign).
    /// </summary>
    Task<Campaign?> SaveSnapshotAsync(Campaign next, IReadOnlyList<IReadOnlyList<CampaignRecipient>> batches, CancellationToken cancellationToken);

    Task<CampaignBatch?> GetBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken);

    /// <summary>Records the deliveries of a batch; one already recorded for the same recipient and channel is kept as it was.</summary>
    Task RecordDeliveriesAsync(TenantId tenantId, string campaignId, int batch, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the batch finished and answers how many of the campaign's batches are. In the same atomic write, the first
    /// time only, the batch's recorded deliveries are added to the campaign's running <see cref="Campaign.Sent"/>,
    /// <see cref="Campaign.Failed"/> and <see cref="Campaign.Skipped"/> (a redelivered batch adds nothing), so reading a
    /// campaign never reads its batches.
    /// </summary>
    Task<int> CompleteBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken);

    Task<CampaignTotals> TotalsAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken);
}
