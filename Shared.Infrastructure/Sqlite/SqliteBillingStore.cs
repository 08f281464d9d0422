using System.Text.Json;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Json;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Sqlite;

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

    public Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
            Scalar(c, null, "SELECT doc FROM subscriptions WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)) is string json
                ? JsonSerializer.Deserialize<SubscriptionDocument>(json, WireJson.Options)!.ToSubscription()
                : null));

    public Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                """
                INSERT INTO subscriptions (tenant_id, user_id, doc, status, grace_until_ms, stripe_updated_at_ms) VALUES ($t, $u, $doc, $status, $grace, $updated)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET doc = excluded.doc, status = excluded.status, grace_until_ms = excluded.grace_until_ms, stripe_updated_at_ms = excluded.stripe_updated_at_ms
                WHERE excluded.stripe_updated_at_ms >= subscriptions.stripe_updated_at_ms
                """,
                ("$t", subscription.TenantId.Value),
                ("$u", subscription.UserId.Value),
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
                "SELECT doc FROM subscriptions WHERE tenant_id = $t AND status = 'past_due' AND grace_until_ms <= $now ORDER BY grace_until_ms LIMIT $max",
                ("$t", tenantId.Value),
                ("$now", now.ToUnixTimeMilliseconds()),
                ("$max", max));
            return ReadAll(command, r => JsonSerializer.Deserialize<SubscriptionDocument>(r.GetString(0), WireJson.Options)!.ToSubscription());
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
}
