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
    ];
}
