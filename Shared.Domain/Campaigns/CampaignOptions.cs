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

    /// <summary>How far ahead a campaign may be scheduled.</summary>
    public TimeSpan MaxSchedule { get; set; } = TimeSpan.FromDays(30);
}
