namespace Shared.Domain.Notifications;

/// <summary>
/// What became of one message: delivered, or failed for good (the provider refused it, or the customer has no
/// address on that channel). A failure that may pass (429, 5xx, network) is retried by the adapter and, when its
/// retries are spent, thrown as <see cref="NotificationDeferredException"/> so the batch is redelivered later.
/// </summary>
public enum DeliveryOutcome
{
    Delivered,
    Failed,
}
