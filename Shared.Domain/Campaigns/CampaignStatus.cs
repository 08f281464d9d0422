namespace Shared.Domain.Campaigns;

/// <summary>Where a campaign is (the contract's names: queued, dispatching, completed, failed, cancelled).</summary>
public enum CampaignStatus
{
    Queued,
    Dispatching,
    Completed,
    Failed,
    Cancelled,
}
