using System.Collections.Concurrent;
using Shared.Domain.Notifications;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>A sender test double for one channel: records every send, fails the customers it is told to, runs a hook before each send.</summary>
public sealed class RecordingSender(NotificationChannel channel) : INotificationSender
{
    public NotificationChannel Channel => channel;

    public ConcurrentBag<CampaignNotification> Sent { get; } = [];

    public ConcurrentDictionary<string, bool> FailFor { get; } = new(StringComparer.Ordinal);

    public Func<CampaignNotification, Task>? BeforeSend { get; set; }

    public async Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
    {
        if (BeforeSend is { } hook)
        {
            await hook(notification);
        }

        Sent.Add(notification);
        return FailFor.ContainsKey(notification.UserId.Value) ? DeliveryOutcome.Failed : DeliveryOutcome.Delivered;
    }
}
