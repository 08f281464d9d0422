using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Notifications;

/// <summary>Notifications' SQLite schema (the in-app inbox and registered push devices), one migration per change.</summary>
public static class NotificationsSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "notifications.1-inbox-and-devices",
            """
            CREATE TABLE IF NOT EXISTS inbox_notifications (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                campaign_id TEXT NOT NULL,
                offer_id TEXT NOT NULL,
                text TEXT NOT NULL,
                read INTEGER NOT NULL DEFAULT 0,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS inbox_newest ON inbox_notifications (tenant_id, user_id, created_at_ms DESC, id DESC);
            CREATE TABLE IF NOT EXISTS push_devices (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                fcm_token TEXT NOT NULL,
                registered_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, fcm_token)) WITHOUT ROWID;
            """),
    ];
}
