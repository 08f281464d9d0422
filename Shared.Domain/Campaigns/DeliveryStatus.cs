namespace Shared.Domain.Campaigns;

/// <summary>What became of one message (campaign, recipient, channel), recorded once.</summary>
public enum DeliveryStatus
{
    /// <summary>The sender delivered it: charged.</summary>
    Delivered,

    /// <summary>The sender refused it for good, or the channel has no sender: released.</summary>
    Failed,

    /// <summary>The customer withdrew consent on the channel before its batch: not sent, released.</summary>
    Skipped,
}
