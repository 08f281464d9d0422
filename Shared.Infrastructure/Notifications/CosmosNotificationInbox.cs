using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// The in-app inbox in Cosmos DB: each notification a document in its user's partition of <c>notifications</c> under
/// its inbox id, so a repeated message is a create conflict (nothing written) and the inbox is one partition's query,
/// served newest first by the container's composite index.
/// </summary>
public sealed class CosmosNotificationInbox(CosmosDatabase db) : INotificationInbox
{
    private readonly Container _notifications = db.Container(CosmosContainers.Notifications);

    public Task<bool> TryAddAsync(CampaignNotification notification, DateTimeOffset at, CancellationToken cancellationToken) =>
        _notifications.TryCreateAsync(
            new InboxDocument
            {
                Id = InboxIds.Of(notification.MessageId),
                TenantId = notification.TenantId.Value,
                UserId = notification.UserId.Value,
                MessageId = notification.MessageId,
                CampaignId = notification.CampaignId,
                OfferId = notification.OfferId,
                Text = notification.Text,
                CreatedAtMs = at.ToUnixTimeMilliseconds(),
            },
            Keys.User(notification.TenantId, notification.UserId),
            cancellationToken);

    public async Task<InboxPage> ListAsync(TenantId tenantId, UserId userId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var after = cursor is null ? (InboxCursor?)null : InboxCursor.Parse(cursor);
        var query = new QueryDefinition(
                "SELECT TOP @n * FROM c WHERE c.type = 'inbox' AND (c.created_at_ms < @at OR (c.created_at_ms = @at AND c.id < @id)) ORDER BY c.created_at_ms DESC, c.id DESC")
            .WithParameter("@n", pageSize + 1)
            .WithParameter("@at", after?.CreatedAtMs ?? long.MaxValue)
            .WithParameter("@id", after?.Id ?? "");
        var rows = await CosmosQueries.ListAsync<InboxDocument>(_notifications, query, new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId) }, pageSize + 1, cancellationToken);
        return SqliteNotificationInbox.Page([.. rows.Select(d => d.ToNotification())], pageSize);
    }

    public async Task<bool> MarkReadAsync(TenantId tenantId, UserId userId, string notificationId, CancellationToken cancellationToken)
    {
        // Setting read again is harmless, so no filter: one round trip, and a 404 means the user has no such notification.
        using var response = await _notifications.PatchItemStreamAsync(
            notificationId,
            Keys.User(tenantId, userId),
            [PatchOperation.Set("/read", true)],
            new PatchItemRequestOptions { EnableContentResponseOnWrite = false },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }
}
