using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Admin;

/// <summary>Admin's SQLite schema, one migration per change (never edited once released).</summary>
public static class AdminSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "admin.1-refunds",
            """
            CREATE TABLE IF NOT EXISTS admin_refunds (
                tenant_id TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                payment_id TEXT NOT NULL,
                amount_minor INTEGER NULL,
                reason TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                refund_id TEXT NULL,
                PRIMARY KEY (tenant_id, idempotency_key)) WITHOUT ROWID;
            """),

        // Role applications; the partial unique index is what keeps one pending application per user and role.
        SqliteMigration.Sql(
            "admin.2-role-applications",
            """
            CREATE TABLE IF NOT EXISTS role_applications (
                tenant_id TEXT NOT NULL,
                application_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                role TEXT NOT NULL,
                note TEXT NULL,
                status TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                decided_at_ms INTEGER NULL,
                reason TEXT NULL,
                PRIMARY KEY (tenant_id, application_id)) WITHOUT ROWID;
            CREATE UNIQUE INDEX IF NOT EXISTS role_applications_one_pending ON role_applications (tenant_id, user_id, role) WHERE status = 'pending';
            CREATE INDEX IF NOT EXISTS role_applications_by_status ON role_applications (tenant_id, status, application_id);
            CREATE INDEX IF NOT EXISTS role_applications_by_user ON role_applications (tenant_id, user_id);
            """),
    ];
}
