using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Wallets;

/// <summary>Wallets' SQLite schema, one migration per change (never edited once released).</summary>
public static class WalletSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "wallets.1-wallets-entries-holds",
            """
            CREATE TABLE IF NOT EXISTS wallets (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                balance INTEGER NOT NULL CHECK (balance >= 0),
                held INTEGER NOT NULL CHECK (held >= 0 AND held <= balance),
                seq INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, kind)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS wallet_entries (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                wallet_kind TEXT NOT NULL,
                seq INTEGER NOT NULL,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                amount INTEGER NOT NULL,
                held_delta INTEGER NOT NULL,
                balance_after INTEGER NOT NULL,
                held_after INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                reference TEXT NULL,
                requested INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, wallet_kind, seq),
                UNIQUE (tenant_id, user_id, wallet_kind, idempotency_key)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS wallet_holds (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                wallet_kind TEXT NOT NULL,
                hold_key TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                PRIMARY KEY (tenant_id, user_id, wallet_kind, hold_key)) WITHOUT ROWID;
            """),
    ];
}
