using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Tenants;

/// <summary>The tenants' SQLite schema, one migration per change (never edited once released).</summary>
public static class TenantSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "tenants.1-tenants",
            """
            CREATE TABLE IF NOT EXISTS tenants (
                tenant_id TEXT PRIMARY KEY,
                doc TEXT NOT NULL,
                updated_at_ms INTEGER NOT NULL);
            """,
            ladderStep: 1),
    ];
}
