using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Notifications;

/// <summary>The in-app inbox in the embedded store: one row per (tenant, user, inbox id); a repeat insert does nothing.</summary>
public sealed class SqliteNotificationInbox(SqliteDatabase db) : INotificationInbox
{
    public Task<bool> TryAddAsync(CampaignNotification notification, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO inbox_notifications (tenant_id, user_id, id, message_id, campaign_id, offer_id, text, read, created_at_ms) VALUES ($t, $u, $id, $m, $c, $o, $text, 0, $at) ON CONFLICT DO NOTHING",
                ("$t", notification.TenantId.Value),
                ("$u", notification.UserId.Value),
                ("$id", InboxIds.Of(notification.MessageId)),
                ("$m", notification.MessageId),
                ("$c", notification.CampaignId),
                ("$o", notification.OfferId),
                ("$text", notification.Text),
                ("$at", at.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<InboxPage> ListAsync(TenantId tenantId, UserId userId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var after = cursor is null ? (InboxCursor?)null : InboxCursor.Parse(cursor);
        return Task.FromResult(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                """
                SELECT id, campaign_id, offer_id, text, read, created_at_ms FROM inbox_notifications
                WHERE tenant_id = $t AND user_id = $u AND (created_at_ms < $at OR (created_at_ms = $at AND id < $id))
                ORDER BY created_at_ms DESC, id DESC LIMIT $n
                """,
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$at", after?.CreatedAtMs ?? long.MaxValue),
                ("$id", after?.Id ?? ""),
                ("$n", pageSize + 1));
            var rows = ReadAll(command, r => new InboxNotification(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4) != 0, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))));
            return Page(rows, pageSize);
        }));
    }

    public Task<bool> MarkReadAsync(TenantId tenantId, UserId userId, string notificationId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                // Two statements so a repeat (already read) is told apart from an id the user does not have.
                w.Execute("UPDATE inbox_notifications SET read = 1 WHERE tenant_id = $t AND user_id = $u AND id = $id AND read = 0", ("$t", tenantId.Value), ("$u", userId.Value), ("$id", notificationId));
                return w.Scalar("SELECT 1 FROM inbox_notifications WHERE tenant_id = $t AND user_id = $u AND id = $id", ("$t", tenantId.Value), ("$u", userId.Value), ("$id", notificationId)) is not null;
            },
            cancellationToken);

    /// <summary>A page from up to <paramref name="pageSize"/> + 1 rows: the extra row only says there is more.</summary>
    internal static InboxPage Page(List<InboxNotification> rows, int pageSize)
    {
        if (rows.Count <= pageSize)
        {
            return new InboxPage(rows, null);
        }

        var items = rows.GetRange(0, pageSize);
        var last = items[^1];
        return new InboxPage(items, new InboxCursor(last.CreatedAt.ToUnixTimeMilliseconds(), last.Id).ToString());
    }
}
