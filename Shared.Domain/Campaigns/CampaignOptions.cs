namespace Shared.Domain.Campaigns;

/// <summary>Campaign dispatch sizes (configuration section <c>Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    /// <summary>Recipients per batch message.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Recipients whose consent is re-read and whose messages are sent and recorded together inside a batch.</summary>
    public int ChunkSize { get; set; } = 100;

    /// <summary>Messages of a chunk sent at the same time.</summary>
    public int SendConcurrency { get; set; } = 16;

    /// <summary>Audience rows read per store query.</summary>
    public int AudiencePageSize { get; set; } = 1000;

    /// <summary>Largest audience a campaign may have (a bound on the snapshot, which is read into memory).</summary>
    public int MaxAudience { get; set; } = 1_000_000;

    /// <summary>
    /// How many times a batch may be deferred by a provider (rate limited, or refusing the app's credentials) before its
    /// unsent messages are recorded failed (released) and the batch completes: a provider that never takes them again
    /// must not keep the campaign's cost held.
    /// </summary>
    public int MaxDeferrals { get; set; } = 20;

    /// <summary>
    /// How many times a message is put back for later when the store cannot be reached (throttled, unavailable), after
    /// <see cref="StoreRetryDelay"/> doubling up to <see cref="MaxStoreRetryDelay"/>; past that, the queue's own
    /// redeliveries (and finally its dead-letter queue) take over.
    /// </summary>
    public int MaxStoreRetries { get; set; } = 8;

    public TimeSpan StoreRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxStoreRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before store retry <paramref name="retry"/> (1-based), or null once the retries are spent.</summary>
    public TimeSpan? StoreRetryDelayOf(int retry)
    {
        if (retry < 1 || retry > MaxStoreRetries)
        {
            return null;
        }

        var delay = StoreRetryDelay * Math.Pow(2, Math.Min(retry - 1, 30));
        return delay < MaxStoreRetryDelay ? delay : MaxStoreRetryDelay;
    }

    /// <summary>
    /// How many campaigns a shopkeeper may have queued or dispatching at once; one more is refused (429
    /// <c>too_many_active_campaigns</c>) with nothing stored, queued or held.
    /// </summary>
    public int MaxActivePerShopkeeper { get; set; } = 5;

    /// <summary>
    /// How long an estimate's audience counts are reused for the same tenant, pin codes and channels (by the injected
    /// clock); zero counts every estimate afresh.
    /// </summary>
    public TimeSpan EstimateCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far ahead a campaign may be scheduled.</summary>
    public TimeSpan MaxSchedule { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Refuses sizes that would stop dispatch or the estimate (checked once, when the section is bound).</summary>
    public CampaignOptions Validate()
    {
        if (BatchSize < 1 || ChunkSize < 1 || SendConcurrency < 1 || AudiencePageSize < 1 || MaxAudience < 1 || MaxActivePerShopkeeper < 1)
        {
            throw new InvalidOperationException("Campaigns:BatchSize, ChunkSize, SendConcurrency, AudiencePageSize, MaxAudience and MaxActivePerShopkeeper must be at least 1.");
        }

        if (EstimateCacheDuration < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Campaigns:EstimateCacheDuration must not be negative (0 counts every estimate afresh).");
        }

        return this;
    }
}
