using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Marketplace;

/// <summary>The marketplace's SQLite schema, one migration per change (never edited once released).</summary>
public static class MarketplaceSqliteMigrations
{
    /// <summary>The body of the insert and update stamping triggers of marketplace.5: the tenant's next version, on the item.</summary>
    private const string StampNew = """
        BEGIN
            INSERT OR IGNORE INTO marketplace_catalog_versions (tenant_id, version, removals) VALUES (NEW.tenant_id, 0, 0);
            UPDATE marketplace_catalog_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id;
            UPDATE marketplace_items SET change_seq = (SELECT version FROM marketplace_catalog_versions WHERE tenant_id = NEW.tenant_id)
                WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
        END;
        """;

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
        SqliteMigration.Sql(
            "marketplace.3-search-words-covering-orders",
            // Search without reading every item of the tenant (issue 14's speed aim): the words of each item's normalised
            // title and description (exactly the words of search_text, see SearchText; in_title: also a word of the title) in
            // a table keyed by word, so a
            // rare word or prefix finds its items by an index range, and the three order indexes rebuilt to carry the
            // filter columns, so a page of a filtered listing walks one index and reads only the rows it returns.
            // Existing items are backfilled here, from search_text (single spaces between words, one at each end).
            """
            CREATE TABLE IF NOT EXISTS marketplace_item_words (
                tenant_id TEXT NOT NULL,
                word TEXT NOT NULL,
                item_id TEXT NOT NULL,
                in_title INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, word, item_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS marketplace_item_words_by_item ON marketplace_item_words (tenant_id, item_id);
            WITH RECURSIVE split (tenant_id, item_id, title_text, word, rest) AS (
                SELECT tenant_id, id, title_text, '', substr(search_text, 2) FROM marketplace_items
                UNION ALL
                SELECT tenant_id, item_id, title_text, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> '')
            INSERT OR IGNORE INTO marketplace_item_words (tenant_id, word, item_id, in_title)
                SELECT tenant_id, word, item_id, instr(title_text, ' ' || word || ' ') > 0 FROM split WHERE word <> '';
            DROP INDEX IF EXISTS marketplace_items_by_installs;
            DROP INDEX IF EXISTS marketplace_items_by_score;
            DROP INDEX IF EXISTS marketplace_items_by_created;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_installs_filtered ON marketplace_items (tenant_id, install_count DESC, id DESC, created_at_ms, kind, price_cents, category_keys) WHERE status = 'published' AND deleted_at_ms IS NULL;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_score_filtered ON marketplace_items (tenant_id, rating_score DESC, id DESC, created_at_ms, kind, price_cents, category_keys) WHERE status = 'published' AND deleted_at_ms IS NULL;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_created_filtered ON marketplace_items (tenant_id, created_at_ms DESC, id DESC, kind, price_cents, category_keys) WHERE status = 'published' AND deleted_at_ms IS NULL;
            """),
        SqliteMigration.Sql(
            "marketplace.4-creator-and-status-listings",
            // A creator's own items (any status) and the admins' queue by status, newest first, deleted items left out.
            """
            CREATE INDEX IF NOT EXISTS marketplace_items_by_creator ON marketplace_items (tenant_id, creator_id, created_at_ms DESC, id DESC) WHERE deleted_at_ms IS NULL;
            CREATE INDEX IF NOT EXISTS marketplace_items_by_status ON marketplace_items (tenant_id, status, created_at_ms DESC, id DESC) WHERE deleted_at_ms IS NULL;
            """),
        SqliteMigration.Code(
            "marketplace.5-catalog-versions",
            // The search index's change stamps (SqliteCatalogIndexes): per tenant, a version every insert or update of an
            // item moves (and a count of deleted items), and on each item the version its last change was given. Triggers,
            // so every writer stamps (this app, the workers, the personal-data eraser, a migration) without knowing the
            // index. Items already there are stamped 1, the tenants' versions start at 1; all of it repeatable (a file
            // whose ledger is older than its layout upgrades).
            (connection, transaction) =>
            {
                SqliteMigration.AddColumnIfMissing(connection, transaction, "marketplace_items", "change_seq", "INTEGER NOT NULL DEFAULT 0");
                SqliteDatabase.Execute(
                    connection,
                    transaction,
                    $"""
                    CREATE TABLE IF NOT EXISTS marketplace_catalog_versions (
                        tenant_id TEXT NOT NULL PRIMARY KEY,
                        version INTEGER NOT NULL,
                        removals INTEGER NOT NULL) WITHOUT ROWID;
                    UPDATE marketplace_items SET change_seq = 1 WHERE change_seq = 0;
                    INSERT OR IGNORE INTO marketplace_catalog_versions (tenant_id, version, removals)
                        SELECT DISTINCT tenant_id, 1, 0 FROM marketplace_items;
                    CREATE INDEX IF NOT EXISTS marketplace_items_by_change ON marketplace_items (tenant_id, change_seq);
                    CREATE TRIGGER IF NOT EXISTS marketplace_items_stamp_insert AFTER INSERT ON marketplace_items
                    {StampNew}
                    CREATE TRIGGER IF NOT EXISTS marketplace_items_stamp_update AFTER UPDATE ON marketplace_items WHEN NEW.change_seq IS OLD.change_seq
                    {StampNew}
                    CREATE TRIGGER IF NOT EXISTS marketplace_items_stamp_delete AFTER DELETE ON marketplace_items
                    BEGIN
                        INSERT OR IGNORE INTO marketplace_catalog_versions (tenant_id, version, removals) VALUES (OLD.tenant_id, 0, 0);
                        UPDATE marketplace_catalog_versions SET version = version + 1, removals = removals + 1 WHERE tenant_id = OLD.tenant_id;
                    END;
                    """);
            }),
    ];
}
