using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.FeatureRequests;

/// <summary>Feature requests' SQLite schema, one migration per change (never edited once released).</summary>
public static class FeatureRequestSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "feature-requests.1-requests",
            """
            CREATE TABLE IF NOT EXISTS feature_requests (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                id TEXT NOT NULL,
                request_text TEXT NOT NULL,
                status TEXT NOT NULL,
                reservation TEXT NOT NULL,
                queue TEXT NOT NULL,
                generated_code TEXT NULL,
                generated_by TEXT NULL,
                failure_reason TEXT NULL,
                attempts INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                completed_at_ms INTEGER NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS feature_requests_newest ON feature_requests (tenant_id, user_id, created_at_ms DESC, id DESC);
            CREATE INDEX IF NOT EXISTS feature_requests_unfinished ON feature_requests (tenant_id, updated_at_ms) WHERE status IN ('pending', 'processing');
            """,
            ladderStep: 4),

        // Retries: the message round, where the retry budget runs from, the scheduled attempt the sweep waits for.
        SqliteMigration.Sql(
            "feature-requests.2-retries",
            """
            ALTER TABLE feature_requests ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE feature_requests ADD COLUMN retry_budget_from_ms INTEGER NULL;
            ALTER TABLE feature_requests ADD COLUMN next_attempt_at_ms INTEGER NULL;
            """,
            ladderStep: 6),

        // The category assigned at submission (a FeatureCategories wire name); null for requests stored before it. Checks
        // the column first: a file of the user_version ladder has no migration ledger, so this may meet it already there.
        SqliteMigration.Code(
            "feature-requests.3-category",
            (connection, transaction) =>
            {
                SqliteMigration.AddColumnIfMissing(connection, transaction, "feature_requests", "category", "TEXT NULL");
            }),
    ];
}
