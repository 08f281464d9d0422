using Microsoft.Data.Sqlite;

namespace Shared.Infrastructure.Tests.Sqlite;

/// <summary>
/// The SQLite schema as the versions before named migrations wrote it: one <c>user_version</c> ladder of steps 1 to 9 for
/// every feature (copied from SqliteDatabase.Initialize of those versions; steps 7 and 9 as they ran on a file the
/// ladder itself had written, where their column checks all take the same branch). Tests build old files with it.
/// </summary>
internal static class LegacySqliteLadder
{
    private static readonly string[] Steps =
    [
            """
                CREATE TABLE IF NOT EXISTS tenants (
                    tenant_id TEXT PRIMARY KEY,
                    doc TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL);
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
                CREATE TABLE IF NOT EXISTS quotas (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    plan_id TEXT NOT NULL,
                    hits_limit INTEGER NULL,
                    reset_period TEXT NOT NULL,
                    anchor_ms INTEGER NOT NULL,
                    period_start_ms INTEGER NOT NULL,
                    period_end_ms INTEGER NOT NULL,
                    used INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS quota_requests (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    key_hash TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    used_after INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, key_hash)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS usage_log (
                    id INTEGER PRIMARY KEY,
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    action_type TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    at_ms INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS usage_log_by_user ON usage_log (tenant_id, user_id, at_ms);
                """,
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
            """
                CREATE TABLE IF NOT EXISTS queue_messages (
                    queue TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    body TEXT NOT NULL,
                    enqueued_at_ms INTEGER NOT NULL,
                    visible_at_ms INTEGER NOT NULL,
                    delivery_count INTEGER NOT NULL DEFAULT 0,
                    lease_token TEXT NULL,
                    dead_lettered INTEGER NOT NULL DEFAULT 0,
                    dead_letter_reason TEXT NULL,
                    PRIMARY KEY (queue, message_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages (queue, dead_lettered, visible_at_ms, enqueued_at_ms);
                """,
            """
                ALTER TABLE quota_requests ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX IF NOT EXISTS quotas_by_period_end ON quotas (tenant_id, period_end_ms, user_id);
                CREATE TABLE IF NOT EXISTS usage_archive (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    period_start_ms INTEGER NOT NULL,
                    period_end_ms INTEGER NOT NULL,
                    plan_id TEXT NOT NULL,
                    used INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, period_start_ms)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS feature_requests (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    id TEXT NOT NULL,
                    request_text TEXT NOT NULL,
                    status TEXT NOT NULL,
                    reservation TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    generated_code TEXT NULL,
                    generated_by TEXT NULL,
                    failure_reason TEXT NULL,
                    attempts INTEGER NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    completed_at_ms INTEGER NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS feature_requests_newest ON feature_requests (tenant_id, user_id, created_at_ms DESC, id DESC);
                CREATE INDEX IF NOT EXISTS feature_requests_unfinished ON feature_requests (tenant_id, updated_at_ms) WHERE status IN ('pending', 'processing');
                CREATE TABLE IF NOT EXISTS data_sharing (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    opt_in INTEGER NOT NULL,
                    profit_split INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS data_sharing_opted_in ON data_sharing (tenant_id, user_id) WHERE opt_in = 1;
                CREATE TABLE IF NOT EXISTS insights (
                    tenant_id TEXT NOT NULL,
                    day TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    events INTEGER NOT NULL,
                    contributors INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, day, metric, dimension)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS insight_days (
                    tenant_id TEXT NOT NULL,
                    day TEXT NOT NULL,
                    done_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, day)) WITHOUT ROWID;
                """,
            """
                ALTER TABLE quotas ADD COLUMN bonus_uses INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE IF NOT EXISTS quota_grants (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    grant_key TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, grant_key)) WITHOUT ROWID;
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
            """
                ALTER TABLE feature_requests ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE feature_requests ADD COLUMN retry_budget_from_ms INTEGER NULL;
                ALTER TABLE feature_requests ADD COLUMN next_attempt_at_ms INTEGER NULL;
                """,
            """
                DROP INDEX IF EXISTS users_by_email; ALTER TABLE users RENAME COLUMN email TO contact_email;
                ALTER TABLE users ADD COLUMN verified_email TEXT NULL;
                CREATE UNIQUE INDEX IF NOT EXISTS users_by_verified_email ON users (tenant_id, verified_email) WHERE verified_email IS NOT NULL;
                ALTER TABLE installations DROP COLUMN email_settled;
                """,
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
            """
                DELETE FROM quota_requests WHERE length(key_hash) <> 33;
                ALTER TABLE quota_requests ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;
                """,
    ];

    /// <summary>Writes a new file at <paramref name="version"/> exactly as the old ladder left it.</summary>
    public static void Create(string path, int version)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        for (var step = 1; step <= version; step++)
        {
            Execute(connection, transaction, Steps[step - 1]);
        }

        Execute(connection, transaction, $"PRAGMA user_version = {version};");
        transaction.Commit();
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
