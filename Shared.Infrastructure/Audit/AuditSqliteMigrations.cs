using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Audit;

/// <summary>The audit log's SQLite schema, one migration per change (never edited once released).</summary>
public static class AuditSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "audit.1-audit-log",
            """
            CREATE TABLE IF NOT EXISTS audit_log (
                tenant_id TEXT NOT NULL,
                sort_key TEXT NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT NULL,
                target_id TEXT NULL,
                at_ms INTEGER NOT NULL,
                address TEXT NULL,
                correlation_id TEXT NULL,
                details_json TEXT NULL,
                PRIMARY KEY (tenant_id, sort_key)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (tenant_id, actor_id) WHERE actor_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log (tenant_id, target_id) WHERE target_id IS NOT NULL;
            """),
    ];
}
