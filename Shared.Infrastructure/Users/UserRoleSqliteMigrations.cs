using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Role grants' SQLite schema (a feature of its own, so it orders after no other users migration).</summary>
public static class UserRoleSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "roles.1-user-roles",
            """
            CREATE TABLE IF NOT EXISTS user_roles (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                role TEXT NOT NULL,
                granted_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, role)) WITHOUT ROWID;
            """),
    ];
}
