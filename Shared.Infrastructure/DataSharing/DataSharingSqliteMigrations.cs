using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Data sharing's SQLite schema (opt-ins and the anonymous insights built from them), one migration per change.</summary>
public static class DataSharingSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "data-sharing.1-opt-ins-and-insights",
            """
            CREATE TABLE IF NOT EXISTS data_sharing (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                opt_in INTEGER NOT NULL,
                profit_split INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS data_sharing_opted_in ON data_sharing (tenant_id, user_id) WHERE opt_in = 1;
            CREATE TABLE IF NOT EXISTS insights (
                tenant_id TEXT NOT NULL,
                day TEXT NOT NULL,
                metric TEXT NOT NULL,
                dimension TEXT NOT NULL,
                events INTEGER NOT NULL,
                contributors INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, day, metric, dimension)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS insight_days (
                tenant_id TEXT NOT NULL,
                day TEXT NOT NULL,
                done_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, day)) WITHOUT ROWID;
            """,
            ladderStep: 4),
    ];
}
