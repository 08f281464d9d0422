using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Referrals;

/// <summary>Referrals' SQLite schema, one migration per change (never edited once released).</summary>
public static class ReferralSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "referrals.1-referrals",
            """
            CREATE TABLE IF NOT EXISTS referrals (
                tenant_id TEXT NOT NULL,
                referred_id TEXT NOT NULL,
                referrer_id TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                confirmed_at_ms INTEGER NULL,
                rewarded_at_ms INTEGER NULL,
                PRIMARY KEY (tenant_id, referred_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS referrals_confirmed ON referrals (tenant_id, confirmed_at_ms) WHERE status = 'confirmed';
            """,
            ladderStep: 5),
    ];
}
