using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Billing;

/// <summary>Billing's SQLite schema (customers, subscriptions, payments, webhook events, anomalies), one migration per change.</summary>
public static class BillingSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "billing.1-customers-subscriptions-payments",
            """
            CREATE TABLE IF NOT EXISTS billing_customers (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE UNIQUE INDEX IF NOT EXISTS billing_customers_by_customer ON billing_customers (tenant_id, customer_id);
            CREATE TABLE IF NOT EXISTS subscriptions (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                doc TEXT NOT NULL,
                status TEXT NOT NULL,
                grace_until_ms INTEGER NULL,
                stripe_updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS payments (
                tenant_id TEXT NOT NULL,
                payment_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                doc TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, payment_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS payments_by_user ON payments (tenant_id, user_id, at_ms);
            CREATE TABLE IF NOT EXISTS webhook_events (
                tenant_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                handled_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, event_id)) WITHOUT ROWID;
            """,
            ladderStep: 2),

        // Every subscription of a user under its Stripe id (the first versions kept one row per user, moved here under
        // the id its document names), and billing anomalies for admins.
        SqliteMigration.Sql(
            "billing.2-subscriptions-by-id-and-anomalies",
            """
            CREATE TABLE subscriptions_by_id (
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                subscription_id TEXT NOT NULL,
                doc TEXT NOT NULL,
                status TEXT NOT NULL,
                grace_until_ms INTEGER NULL,
                stripe_updated_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, user_id, subscription_id)) WITHOUT ROWID;
            INSERT INTO subscriptions_by_id (tenant_id, user_id, subscription_id, doc, status, grace_until_ms, stripe_updated_at_ms)
                SELECT tenant_id, user_id, json_extract(doc, '$.stripe_subscription_id'), doc, status, grace_until_ms, stripe_updated_at_ms FROM subscriptions;
            DROP TABLE subscriptions;
            ALTER TABLE subscriptions_by_id RENAME TO subscriptions;
            CREATE INDEX IF NOT EXISTS subscriptions_past_due ON subscriptions (tenant_id, grace_until_ms) WHERE status = 'past_due';
            CREATE TABLE IF NOT EXISTS billing_anomalies (
                tenant_id TEXT NOT NULL,
                anomaly_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                reason TEXT NOT NULL,
                doc TEXT NOT NULL,
                detected_at_ms INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, anomaly_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS billing_anomalies_newest ON billing_anomalies (tenant_id, detected_at_ms DESC);
            """,
            ladderStep: 8),
    ];
}
