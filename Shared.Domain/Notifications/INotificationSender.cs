namespace Shared.Domain.Notifications;

/// <summary>
/// Delivers campaign messages on one channel (the in-app inbox locally; FCM HTTP v1 for push and the WhatsApp Cloud
/// API in Azure). Sending the same <see cref="CampaignNotification.MessageId"/> twice must not reach the customer twice
/// where the channel allows it (the inbox stores by message id); callers record each delivery once as well.
/// </summary>
public interface INotificationSender
{
    NotificationChannel Channel { get; }

    Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken);
}
