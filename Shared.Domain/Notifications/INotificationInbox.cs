using Shared.Domain.Common;

namespace Shared.Domain.Notifications;

/// <summary>
/// Customers' in-app inboxes, one per user of a tenant. A notification is stored once per campaign message id: adding it
/// again changes nothing (redelivered batches are safe).
/// </summary>
public interface INotificationInbox
{
    /// <summary>Stores the notification unless its message id is stored already; false for such a repeat.</summary>
    Task<bool> TryAddAsync(CampaignNotification notification, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The user's notifications newest first, <paramref name="pageSize"/> at most, after <paramref name="cursor"/> (a
    /// <see cref="InboxPage.Cursor"/> this store returned; null: from the newest). Throws
    /// <see cref="Features.InvalidContinuationException"/> for a cursor it did not write.
    /// </summary>
    Task<InboxPage> ListAsync(TenantId tenantId, UserId userId, string? cursor, int pageSize, CancellationToken cancellationToken);

    /// <summary>Marks the user's notification read (a no-op when it already is); false when the user has no such notification.</summary>
    Task<bool> MarkReadAsync(TenantId tenantId, UserId userId, string notificationId, CancellationToken cancellationToken);
}
