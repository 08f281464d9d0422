using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Campaigns;

/// <summary>Offers, customers' campaign preferences and campaigns in the embedded store, one migration per change.</summary>
public static class CampaignSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "campaigns.1-offers-preferences-campaigns",
            """
            CREATE TABLE IF NOT EXISTS offers (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                shopkeeper_id TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NULL,
                discount_percent INTEGER NOT NULL,
                pin_codes TEXT NOT NULL,
                valid_from_ms INTEGER NOT NULL,
                valid_until_ms INTEGER NOT NULL,
                like_count INTEGER NOT NULL CHECK (like_count >= 0),
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS offers_by_expiry ON offers (tenant_id, valid_until_ms);
            CREATE TABLE IF NOT EXISTS offer_pin_codes (
                tenant_id TEXT NOT NULL,
                pin_code TEXT NOT NULL,
                offer_id TEXT NOT NULL,
                PRIMARY KEY (tenant_id, pin_code, offer_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS offer_likes (
                tenant_id TEXT NOT NULL,
                offer_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                PRIMARY KEY (tenant_id, offer_id, user_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS offer_likes_by_user ON offer_likes (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS customer_preferences (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                pin_codes TEXT NOT NULL,
                in_app INTEGER NOT NULL,
                push INTEGER NOT NULL,
                whatsapp INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS customer_pin_codes (
                tenant_id TEXT NOT NULL,
                pin_code TEXT NOT NULL,
                user_id TEXT NOT NULL,
                PRIMARY KEY (tenant_id, pin_code, user_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS customer_pin_codes_by_user ON customer_pin_codes (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS campaigns (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                shopkeeper_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                doc TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS campaigns_by_shopkeeper ON campaigns (tenant_id, shopkeeper_id);
            CREATE TABLE IF NOT EXISTS campaign_batches (
                tenant_id TEXT NOT NULL,
                campaign_id TEXT NOT NULL,
                batch INTEGER NOT NULL,
                done INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, campaign_id, batch)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS campaign_recipients (
                tenant_id TEXT NOT NULL,
                campaign_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                batch INTEGER NOT NULL,
                channels TEXT NOT NULL,
                PRIMARY KEY (tenant_id, campaign_id, user_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS campaign_recipients_by_batch ON campaign_recipients (tenant_id, campaign_id, batch);
            CREATE INDEX IF NOT EXISTS campaign_recipients_by_user ON campaign_recipients (tenant_id, user_id);
            CREATE TABLE IF NOT EXISTS campaign_deliveries (
                tenant_id TEXT NOT NULL,
                campaign_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                batch INTEGER NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (tenant_id, campaign_id, user_id, channel)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS campaign_deliveries_by_batch ON campaign_deliveries (tenant_id, campaign_id, batch);
            CREATE INDEX IF NOT EXISTS campaign_deliveries_by_user ON campaign_deliveries (tenant_id, user_id);
            """),
        // The column is checked first, like users.3, so a file whose ledger is older than its layout is upgraded too.
        SqliteMigration.Code(
            "campaigns.2-active-per-shopkeeper",
            (connection, transaction) =>
            {
                SqliteMigration.AddColumnIfMissing(connection, transaction, "campaigns", "active", "INTEGER NOT NULL DEFAULT 0");
                SqliteDatabase.Execute(
                    connection,
                    transaction,
                    """
                    UPDATE campaigns SET active = CASE WHEN json_extract(doc, '$.status') IN ('queued', 'dispatching') THEN 1 ELSE 0 END;
                    CREATE INDEX IF NOT EXISTS campaigns_active_by_shopkeeper ON campaigns (tenant_id, shopkeeper_id, active);
                    """);
            }),
    ];
}
