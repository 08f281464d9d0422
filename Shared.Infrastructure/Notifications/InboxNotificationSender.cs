using Shared.Domain.Notifications;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// The in-app channel: the message is delivered when it is in the customer's inbox (our own store). A repeated message
/// id finds the stored notification and is delivered again without a second row, so a redelivered batch is safe.
/// </summary>
public sealed class InboxNotificationSender(INotificationInbox inbox, TimeProvider time) : INotificationSender
{
    public NotificationChannel Channel => NotificationChannel.InApp;

    public async Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Channel != NotificationChannel.InApp)
        {
            throw new ArgumentException($"The inbox takes in-app messages, not {notification.Channel}.", nameof(notification));
        }

        await inbox.TryAddAsync(notification, time.GetUtcNow(), cancellationToken);
        return DeliveryOutcome.Delivered;
    }
}
