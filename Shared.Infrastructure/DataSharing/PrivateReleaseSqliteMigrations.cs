using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>The differentially private release's SQLite schema: raw events (short-lived), the releases (the privacy ledger) and per-user contribution marks.</summary>
public static class PrivateReleaseSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "data-sharing-release.1-events-ledger-contributions",
            """
            CREATE TABLE IF NOT EXISTS data_sharing_events (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                site TEXT NOT NULL,
                kind TEXT NOT NULL,
                at_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS data_sharing_events_by_time ON data_sharing_events (tenant_id, at_ms);
            CREATE INDEX IF NOT EXISTS data_sharing_events_by_user ON data_sharing_events (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS data_sharing_releases (
                tenant_id TEXT NOT NULL,
                day TEXT NOT NULL,
                release_id TEXT NOT NULL,
                epsilon TEXT NOT NULL,
                delta TEXT NOT NULL,
                rows INTEGER NOT NULL,
                blob TEXT NOT NULL,
                rows_file BLOB NOT NULL,
                manifest_file BLOB NOT NULL,
                created_at_ms INTEGER NOT NULL,
                exported_at_ms INTEGER,
                PRIMARY KEY (tenant_id, day)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS data_sharing_contributions (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                day TEXT NOT NULL,
                PRIMARY KEY (tenant_id, user_id, day)) WITHOUT ROWID;
            """),
    ];
}
