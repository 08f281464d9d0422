using Shared.Domain.Campaigns;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>A campaign store that crashes once where it is told to (after the real write, or before it), for fault injection.</summary>
public sealed class FaultyCampaignStore(ICampaignStore inner) : ICampaignStore
{
    /// <summary>Throw after the campaign is stored settled (the wallet is settled, the campaign not yet marked).</summary>
    private int _failBeforeMarkingSettled;

    public int FailBeforeMarkingSettled { get => _failBeforeMarkingSettled; set => _failBeforeMarkingSettled = value; }

    /// <summary>Throw instead of recording deliveries (the messages were sent, not recorded).</summary>
    private int _failRecording;

    public int FailRecording { get => _failRecording; set => _failRecording = value; }

    /// <summary>Throw after the batch is marked done (before the completion check and the settlement).</summary>
    private int _failAfterCompletingBatch;

    public int FailAfterCompletingBatch { get => _failAfterCompletingBatch; set => _failAfterCompletingBatch = value; }

    public Task<CampaignCreation> TryCreateAsync(Campaign campaign, int maxActive, CancellationToken cancellationToken) => inner.TryCreateAsync(campaign, maxActive, cancellationToken);

    public Task<Campaign?> GetAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, campaignId, cancellationToken);

    public Task<Campaign?> TryReplaceAsync(Campaign next, CancellationToken cancellationToken) =>
        next.Settled && next.Status == CampaignStatus.Completed && Interlocked.Decrement(ref _failBeforeMarkingSettled) >= 0
            ? throw new IOException("Injected: crash between the settlement and the campaign's record of it.")
            : inner.TryReplaceAsync(next, cancellationToken);

    public Task<Campaign?> SaveSnapshotAsync(Campaign next, IReadOnlyList<IReadOnlyList<CampaignRecipient>> batches, CancellationToken cancellationToken) => inner.SaveSnapshotAsync(next, batches, cancellationToken);

    public Task<CampaignBatch?> GetBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken) => inner.GetBatchAsync(tenantId, campaignId, batch, cancellationToken);

    public Task RecordDeliveriesAsync(TenantId tenantId, string campaignId, int batch, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _failRecording) >= 0
            ? throw new IOException("Injected: crash between sending and recording.")
            : inner.RecordDeliveriesAsync(tenantId, campaignId, batch, deliveries, cancellationToken);

    public async Task<int> CompleteBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken)
    {
        var done = await inner.CompleteBatchAsync(tenantId, campaignId, batch, cancellationToken);
        return Interlocked.Decrement(ref _failAfterCompletingBatch) >= 0 ? throw new IOException("Injected: crash after the batch was marked done.") : done;
    }

    private int _totalsReads;

    /// <summary>How many times the deliveries of every batch were counted (<see cref="TotalsAsync"/>).</summary>
    public int TotalsReads => _totalsReads;

    public Task<CampaignTotals> TotalsAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _totalsReads);
        return inner.TotalsAsync(tenantId, campaignId, cancellationToken);
    }
}
