using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Accounts;

/// <summary>Accounts' SQLite schema, one migration per change (never edited once released).</summary>
public static class AccountsSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "accounts.1-credentials",
            """
            CREATE TABLE IF NOT EXISTS credentials (
                tenant_id TEXT NOT NULL,
                email TEXT NOT NULL,
                user_id TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                email_verified INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, email)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS credentials_by_user ON credentials (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS phones (
                tenant_id TEXT NOT NULL,
                phone TEXT NOT NULL,
                user_id TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, phone)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS phones_by_user ON phones (tenant_id, user_id);
            """),
        SqliteMigration.Sql(
            "accounts.2-codes-and-refresh-tokens",
            """
            CREATE TABLE IF NOT EXISTS verification_codes (
                tenant_id TEXT NOT NULL,
                purpose TEXT NOT NULL,
                target TEXT NOT NULL,
                user_id TEXT NOT NULL,
                salt TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                pending_password_hash TEXT NULL,
                attempts INTEGER NOT NULL,
                sent_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, purpose, target)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS verification_codes_by_user ON verification_codes (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS refresh_families (
                tenant_id TEXT NOT NULL,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                revoked_at_ms INTEGER NULL,
                PRIMARY KEY (tenant_id, family_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS refresh_families_by_user ON refresh_families (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS refresh_tokens (
                tenant_id TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                issued_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL,
                used_at_ms INTEGER NULL,
                PRIMARY KEY (tenant_id, token_hash)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS refresh_tokens_by_user ON refresh_tokens (tenant_id, user_id);
            """),
    ];
}
