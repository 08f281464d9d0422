using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Marketplace;

/// <summary>The marketplace's SQLite schema, one migration per change (never edited once released).</summary>
public static class MarketplaceSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "marketplace.1-items-installs-ratings",
            """
            CREATE TABLE IF NOT EXISTS marketplace_items (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                creator_id TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                kind TEXT NOT NULL,
                categories TEXT NOT NULL,
                category_keys TEXT NOT NULL,
                price_cents INTEGER NOT NULL,
                currency TEXT NOT NULL,
                asset_ref TEXT NULL,
                status TEXT NOT NULL,
                verified INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                deleted_at_ms INTEGER NULL,
                details_version INTEGER NOT NULL,
                search_text TEXT NOT NULL,
                title_text TEXT NOT NULL,
                install_count INTEGER NOT NULL DEFAULT 0,
                active_installs INTEGER NOT NULL DEFAULT 0,
                rating_count INTEGER NOT NULL DEFAULT 0,
                rating_sum INTEGER NOT NULL DEFAULT 0,
                rating_h1 INTEGER NOT NULL DEFAULT 0,
                rating_h2 INTEGER NOT NULL DEFAULT 0,
                rating_h3 INTEGER NOT NULL DEFAULT 0,
                rating_h4 INTEGER NOT NULL DEFAULT 0,
                rating_h5 INTEGER NOT NULL DEFAULT 0,
                rating_score INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id));
            CREATE INDEX IF NOT EXISTS marketplace_items_by_installs ON marketplace_items (tenant_id, install_count DESC, id DESC) WHERE status = 'published' AND deleted_at_ms IS NULL;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_score ON marketplace_items (tenant_id, rating_score DESC, id DESC) WHERE status = 'published' AND deleted_at_ms IS NULL;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_created ON marketplace_items (tenant_id, created_at_ms DESC, id DESC) WHERE status = 'published' AND deleted_at_ms IS NULL;
            CREATE TABLE IF NOT EXISTS marketplace_installs (
                tenant_id TEXT NOT NULL,
                item_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                installed_at_ms INTEGER NOT NULL,
                active INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, item_id, user_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS marketplace_ratings (
                tenant_id TEXT NOT NULL,
                item_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                stars INTEGER NOT NULL,
                review TEXT NULL,
                updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, item_id, user_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS marketplace_ratings_recent ON marketplace_ratings (tenant_id, item_id, updated_at_ms DESC, user_id DESC);
            """),
        SqliteMigration.Sql(
            "marketplace.2-purchases-entitlements-earnings",
            """
            CREATE TABLE IF NOT EXISTS marketplace_purchases (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                item_id TEXT NOT NULL,
                buyer_id TEXT NOT NULL,
                creator_id TEXT NOT NULL,
                price_cents INTEGER NOT NULL,
                currency TEXT NOT NULL,
                creator_share_cents INTEGER NOT NULL,
                session_id TEXT NULL,
                completed_at_ms INTEGER NULL,
                refunded_at_ms INTEGER NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS marketplace_entitlements (
                tenant_id TEXT NOT NULL,
                item_id TEXT NOT NULL,
                buyer_id TEXT NOT NULL,
                purchase_id TEXT NOT NULL,
                granted_at_ms INTEGER NOT NULL,
                revoked_at_ms INTEGER NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, item_id, buyer_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS marketplace_earnings (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                purchase_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                creator_id TEXT NOT NULL,
                item_id TEXT NOT NULL,
                amount_cents INTEGER NOT NULL,
                currency TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS marketplace_earnings_by_creator ON marketplace_earnings (tenant_id, creator_id, created_at_ms DESC, id DESC);
            """),
    ];
}
