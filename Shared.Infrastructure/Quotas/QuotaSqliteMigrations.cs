using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Quotas;

/// <summary>Quota accounts' SQLite schema (accounts, remembered keys, grants, the usage archive), one migration per change.</summary>
public static class QuotaSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "quotas.1-accounts-and-keys",
            """
            CREATE TABLE IF NOT EXISTS quotas (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                hits_limit INTEGER NULL,
                reset_period TEXT NOT NULL,
                anchor_ms INTEGER NOT NULL,
                period_start_ms INTEGER NOT NULL,
                period_end_ms INTEGER NOT NULL,
                used INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS quota_requests (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                key_hash TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                used_after INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, key_hash)) WITHOUT ROWID;
            """,
            ladderStep: 1),
        SqliteMigration.Sql(
            "quotas.2-releases-and-archive",
            """
            ALTER TABLE quota_requests ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX IF NOT EXISTS quotas_by_period_end ON quotas (tenant_id, period_end_ms, user_id);
            CREATE TABLE IF NOT EXISTS usage_archive (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                period_start_ms INTEGER NOT NULL,
                period_end_ms INTEGER NOT NULL,
                plan_id TEXT NOT NULL,
                used INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, period_start_ms)) WITHOUT ROWID;
            """,
            ladderStep: 4),
        SqliteMigration.Sql(
            "quotas.3-bonus-grants",
            """
            ALTER TABLE quotas ADD COLUMN bonus_uses INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE IF NOT EXISTS quota_grants (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                grant_key TEXT NOT NULL,
                PRIMARY KEY (tenant_id, user_id, grant_key)) WITHOUT ROWID;
            """,
            ladderStep: 5),

        // Keys bound to their kind: ids are now a kind letter + digest of (kind, tenant, user, key); unkinded ids of
        // earlier versions can never match again, so they go. Reservations record whether they were settled (kept).
        SqliteMigration.Code(
            "quotas.4-kinded-keys",
            (connection, transaction) =>
            {
                SqliteDatabase.Execute(connection, transaction, "DELETE FROM quota_requests WHERE length(key_hash) <> 33;");
                SqliteMigration.AddColumnIfMissing(connection, transaction, "quota_requests", "settled", "INTEGER NOT NULL DEFAULT 0");
            },
            ladderStep: 9),
    ];
}
