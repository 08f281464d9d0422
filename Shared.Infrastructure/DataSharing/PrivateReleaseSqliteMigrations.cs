using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>The differentially private release's SQLite schema: raw events (short-lived), the releases and budget reservations (the privacy ledger) and per-user contribution marks.</summary>
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

        // The privacy budget reserved per day before a release is computed (issue 16: concurrent runs must not both pass
        // the monthly check). A reservation stays as the day's ledger entry once its release is stored.
        SqliteMigration.Sql(
            "data-sharing-release.2-budget-reservations",
            """
            CREATE TABLE IF NOT EXISTS data_sharing_budget_reservations (
                tenant_id TEXT NOT NULL,
                day TEXT NOT NULL,
                epsilon TEXT NOT NULL,
                delta TEXT NOT NULL,
                run_id TEXT NOT NULL,
                reserved_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, day)) WITHOUT ROWID;
            """),

        // Sales of releases recorded by admins, unique per reference (the crediting of contributors is idempotent by it).
        SqliteMigration.Sql(
            "data-sharing-release.3-sales",
            """
            CREATE TABLE IF NOT EXISTS data_sharing_sales (
                tenant_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                day TEXT NOT NULL,
                amount_cents INTEGER NOT NULL,
                currency TEXT NOT NULL,
                recorded_at_ms INTEGER NOT NULL,
                contributors INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, reference)) WITHOUT ROWID;
            """),
    ];
}
