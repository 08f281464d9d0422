using System.Text.Json;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Billing;

public sealed class SqliteBillingStore(SqliteDatabase db) : IBillingStore
{
    public Task<string?> FindCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => (string?)Scalar(c, null, "SELECT customer_id FROM billing_customers WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value))));

    public Task<string> LinkCustomerAsync(TenantId tenantId, UserId userId, string customerId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute(
                    "INSERT INTO billing_customers (tenant_id, user_id, customer_id) VALUES ($t, $u, $c) ON CONFLICT DO NOTHING",
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$c", customerId));
                return (string)w.Scalar("SELECT customer_id FROM billing_customers WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value))!;
            },
            cancellationToken);

    public Task<UserId?> FindUserByCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
            Scalar(c, null, "SELECT user_id FROM billing_customers WHERE tenant_id = $t AND customer_id = $c", ("$t", tenantId.Value), ("$c", customerId)) is string user
                ? UserId.Parse(user)
                : (UserId?)null));

    public Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, string subscriptionId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
            Scalar(c, null, "SELECT doc FROM subscriptions WHERE tenant_id = $t AND user_id = $u AND subscription_id = $s", ("$t", tenantId.Value), ("$u", userId.Value), ("$s", subscriptionId)) is string json
                ? ReadSubscription(json)
                : null));

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Subscription>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT doc FROM subscriptions WHERE tenant_id = $t AND user_id = $u ORDER BY subscription_id", ("$t", tenantId.Value), ("$u", userId.Value));
            return ReadAll(command, r => ReadSubscription(r.GetString(0)));
        }));

    public Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                """
                INSERT INTO subscriptions (tenant_id, user_id, subscription_id, doc, status, grace_until_ms, stripe_updated_at_ms) VALUES ($t, $u, $s, $doc, $status, $grace, $updated)
                ON CONFLICT (tenant_id, user_id, subscription_id) DO UPDATE SET doc = excluded.doc, status = excluded.status, grace_until_ms = excluded.grace_until_ms, stripe_updated_at_ms = excluded.stripe_updated_at_ms
                WHERE excluded.stripe_updated_at_ms >= subscriptions.stripe_updated_at_ms
                """,
                ("$t", subscription.TenantId.Value),
                ("$u", subscription.UserId.Value),
                ("$s", subscription.StripeSubscriptionId),
                ("$doc", JsonSerializer.Serialize(SubscriptionDocument.From(subscription), WireJson.Options)),
                ("$status", BillingText.Format(subscription.Status)),
                ("$grace", subscription.GraceUntil?.ToUnixTimeMilliseconds()),
                ("$updated", subscription.StripeUpdatedAt.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<IReadOnlyList<Subscription>> ListGraceExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Subscription>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT doc FROM subscriptions WHERE tenant_id = $t AND status = 'past_due' AND grace_until_ms <= $now ORDER BY grace_until_ms, subscription_id LIMIT $max",
                ("$t", tenantId.Value),
                ("$now", now.ToUnixTimeMilliseconds()),
                ("$max", max));
            return ReadAll(command, r => ReadSubscription(r.GetString(0)));
        }));

    public Task<bool> RecordAnomalyAsync(BillingAnomaly anomaly, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO billing_anomalies (tenant_id, anomaly_id, user_id, reason, doc, detected_at_ms) VALUES ($t, $a, $u, $r, $doc, $at) ON CONFLICT DO NOTHING",
                ("$t", anomaly.TenantId.Value),
                ("$a", anomaly.Id),
                ("$u", anomaly.UserId.Value),
                ("$r", anomaly.Reason),
                ("$doc", JsonSerializer.Serialize(AnomalyDocument.From(anomaly), WireJson.Options)),
                ("$at", anomaly.DetectedAt.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<IReadOnlyList<BillingAnomaly>> ListAnomaliesAsync(TenantId tenantId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BillingAnomaly>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT doc FROM billing_anomalies WHERE tenant_id = $t ORDER BY detected_at_ms DESC, anomaly_id LIMIT $max", ("$t", tenantId.Value), ("$max", max));
            return ReadAll(command, r => JsonSerializer.Deserialize<AnomalyDocument>(r.GetString(0), WireJson.Options)!.ToAnomaly());
        }));

    public Task<bool> RecordPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO payments (tenant_id, payment_id, user_id, doc, at_ms) VALUES ($t, $p, $u, $doc, $at) ON CONFLICT DO NOTHING",
                ("$t", payment.TenantId.Value),
                ("$p", payment.Id),
                ("$u", payment.UserId.Value),
                ("$doc", JsonSerializer.Serialize(PaymentDocument.From(payment), WireJson.Options)),
                ("$at", payment.At.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<PaymentRecord?> FindPaymentAsync(TenantId tenantId, UserId userId, string paymentId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
            Scalar(c, null, "SELECT doc FROM payments WHERE tenant_id = $t AND payment_id = $p AND user_id = $u", ("$t", tenantId.Value), ("$p", paymentId), ("$u", userId.Value)) is string json
                ? JsonSerializer.Deserialize<PaymentDocument>(json, WireJson.Options)!.ToPayment()
                : null));

    public Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PaymentRecord>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT doc FROM payments WHERE tenant_id = $t AND user_id = $u ORDER BY at_ms", ("$t", tenantId.Value), ("$u", userId.Value));
            return ReadAll(command, r => JsonSerializer.Deserialize<PaymentDocument>(r.GetString(0), WireJson.Options)!.ToPayment());
        }));

    public Task<bool> IsEventHandledAsync(TenantId tenantId, string eventId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(c, null, "SELECT 1 FROM webhook_events WHERE tenant_id = $t AND event_id = $e", ("$t", tenantId.Value), ("$e", eventId)) is not null));

    public Task MarkEventHandledAsync(TenantId tenantId, string eventId, string type, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO webhook_events (tenant_id, event_id, type, handled_at_ms) VALUES ($t, $e, $type, $at) ON CONFLICT DO NOTHING",
                ("$t", tenantId.Value),
                ("$e", eventId),
                ("$type", type),
                ("$at", at.ToUnixTimeMilliseconds())),
            cancellationToken);

    private static Subscription ReadSubscription(string json) => JsonSerializer.Deserialize<SubscriptionDocument>(json, WireJson.Options)!.ToSubscription();
}
