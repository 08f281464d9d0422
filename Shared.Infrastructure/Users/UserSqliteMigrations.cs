using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Users' and installations' SQLite schema, one migration per change (never edited once released).</summary>
public static class UserSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "users.1-users-and-installations",
            """
            CREATE TABLE IF NOT EXISTS users (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                email TEXT NULL,
                role TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE UNIQUE INDEX IF NOT EXISTS users_by_email ON users (tenant_id, email) WHERE email IS NOT NULL;
            CREATE TABLE IF NOT EXISTS installations (
                tenant_id TEXT NOT NULL,
                extension_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                email_settled INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, extension_id)) WITHOUT ROWID;
            """,
            ladderStep: 1),

        // Proof before linking: emails stored so far were never verified (identify took them from the body), so they
        // become unverified contacts, which are never unique and never looked up; no old email can claim an account.
        // Only emails proven by an ID token are verified_email (unique per tenant). Installations no longer track
        // whether "their" email was settled: a bare email never changes an existing user. Each step checks the
        // columns first, so a file whose version number is older than its layout is upgraded too.
        SqliteMigration.Code(
            "users.2-verified-email",
            (connection, transaction) =>
            {
                var userColumns = SqliteMigration.Columns(connection, transaction, "users");
                if (userColumns.Contains("email"))
                {
                    SqliteDatabase.Execute(connection, transaction, "DROP INDEX IF EXISTS users_by_email; ALTER TABLE users RENAME COLUMN email TO contact_email;");
                }

                if (!userColumns.Contains("verified_email"))
                {
                    SqliteDatabase.Execute(connection, transaction, "ALTER TABLE users ADD COLUMN verified_email TEXT NULL;");
                }

                SqliteDatabase.Execute(connection, transaction, "CREATE UNIQUE INDEX IF NOT EXISTS users_by_verified_email ON users (tenant_id, verified_email) WHERE verified_email IS NOT NULL;");
                if (SqliteMigration.Columns(connection, transaction, "installations").Contains("email_settled"))
                {
                    SqliteDatabase.Execute(connection, transaction, "ALTER TABLE installations DROP COLUMN email_settled;");
                }
            },
            ladderStep: 7),

        // The name the user chose to be shown as (PUT /users/me); null until set. The column is checked first, like
        // users.2, so a file whose ledger is older than its layout is upgraded too.
        SqliteMigration.Code(
            "users.3-display-name",
            (connection, transaction) =>
            {
                SqliteMigration.AddColumnIfMissing(connection, transaction, "users", "display_name", "TEXT NULL");
            }),

        // Tombstones of erased users, keyed by a digest of tenant and id (ErasedUserKey), never by the id.
        SqliteMigration.Sql(
            "users.4-erased-users",
            """
            CREATE TABLE IF NOT EXISTS erased_users (
                tenant_id TEXT NOT NULL,
                user_key TEXT NOT NULL,
                erased_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_key)) WITHOUT ROWID;
            """),

        // A user's installations (GET /users/me, the admin's user details) by user rather than a scan of the tenant's.
        SqliteMigration.Sql(
            "users.5-installations-by-user",
            "CREATE INDEX IF NOT EXISTS installations_by_user ON installations (tenant_id, user_id, created_at_ms);"),
    ];
}
