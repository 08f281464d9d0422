using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Usage;

/// <summary>The usage log's SQLite schema, one migration per change (never edited once released).</summary>
public static class UsageSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "usage.1-log",
            """
            CREATE TABLE IF NOT EXISTS usage_log (
                id INTEGER PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                action_type TEXT NOT NULL,
                outcome TEXT NOT NULL,
                at_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS usage_log_by_user ON usage_log (tenant_id, user_id, at_ms);
            """,
            ladderStep: 1),

        // Admin metrics count a tenant's uses per day over a window (every user): without this the read walks the
        // tenant's whole log through usage_log_by_user.
        SqliteMigration.Sql(
            "usage.2-by-tenant-time",
            "CREATE INDEX IF NOT EXISTS usage_log_by_tenant_time ON usage_log (tenant_id, at_ms);"),
    ];
}
