using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Jobs;

/// <summary>The embedded queue's SQLite schema, one migration per change (never edited once released).</summary>
public static class JobSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "jobs.1-queue-messages",
            """
            CREATE TABLE IF NOT EXISTS queue_messages (
                queue TEXT NOT NULL,
                message_id TEXT NOT NULL,
                body TEXT NOT NULL,
                enqueued_at_ms INTEGER NOT NULL,
                visible_at_ms INTEGER NOT NULL,
                delivery_count INTEGER NOT NULL DEFAULT 0,
                lease_token TEXT NULL,
                dead_lettered INTEGER NOT NULL DEFAULT 0,
                dead_letter_reason TEXT NULL,
                PRIMARY KEY (queue, message_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages (queue, dead_lettered, visible_at_ms, enqueued_at_ms);
            """,
            ladderStep: 3),
    ];
}
