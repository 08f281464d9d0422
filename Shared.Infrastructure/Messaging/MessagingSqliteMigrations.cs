using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Messaging;

/// <summary>The local outbox's SQLite schema (development and tests; refused in Production).</summary>
public static class MessagingSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "messaging.1-outbox",
            """
            CREATE TABLE IF NOT EXISTS outbox_messages (
                tenant_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                recipient TEXT NOT NULL,
                user_id TEXT NULL,
                subject TEXT NULL,
                body TEXT NOT NULL,
                code TEXT NULL,
                sent_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, message_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS outbox_by_recipient ON outbox_messages (tenant_id, recipient, sent_at_ms);
            CREATE INDEX IF NOT EXISTS outbox_by_user ON outbox_messages (tenant_id, user_id);
            """),
    ];
}
