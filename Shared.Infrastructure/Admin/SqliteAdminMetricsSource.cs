using System.Globalization;
using System.Text.Json;
using Shared.Domain.Admin;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Admin metrics' facts read from the billing (<c>subscriptions</c>, <c>payments</c>), users (<c>users</c>), usage
/// (<c>usage_log</c>) and feature-request (<c>feature_requests</c>) tables, always within one tenant.
/// </summary>
public sealed class SqliteAdminMetricsSource(SqliteDatabase db) : IAdminMetricsSource
{
    /// <summary>The uses-per-day count (public so that a test can check its plan: usage_log_by_tenant_time).</summary>
    public const string UsesPerDaySql = "SELECT at_ms / $day, COUNT(*) FROM usage_log WHERE tenant_id = $t AND outcome = 'allowed' AND at_ms >= $from AND at_ms < $to GROUP BY at_ms / $day";

    private const long DayMs = 86_400_000;

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Subscription>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT doc FROM subscriptions WHERE tenant_id = $t ORDER BY user_id, subscription_id", ("$t", tenantId.Value));
            return ReadAll(command, r => JsonSerializer.Deserialize<SubscriptionDocument>(r.GetString(0), WireJson.Options)!.ToSubscription());
        }));

    public Task<IReadOnlyList<PaymentRecord>> ListSubscriptionPaymentsAsync(TenantId tenantId, DateTimeOffset atOrBefore, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PaymentRecord>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT doc FROM payments WHERE tenant_id = $t AND at_ms <= $at AND json_extract(doc, '$.stripe_subscription_id') IS NOT NULL ORDER BY at_ms, payment_id",
                ("$t", tenantId.Value),
                ("$at", atOrBefore.ToUnixTimeMilliseconds()));
            return ReadAll(command, r => JsonSerializer.Deserialize<PaymentDocument>(r.GetString(0), WireJson.Options)!.ToPayment());
        }));

    public Task<int> CountUsersCreatedAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Convert.ToInt32(
            Scalar(c, null, "SELECT COUNT(*) FROM users WHERE tenant_id = $t AND created_at_ms >= $from AND created_at_ms < $to", ("$t", tenantId.Value), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds())),
            CultureInfo.InvariantCulture)));

    public Task<IReadOnlyDictionary<DateOnly, int>> CountUsesPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDay(UsesPerDaySql, tenantId, from, to);

    public Task<IReadOnlyDictionary<DateOnly, int>> CountAiRequestsPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDay("SELECT created_at_ms / $day, COUNT(*) FROM feature_requests WHERE tenant_id = $t AND created_at_ms >= $from AND created_at_ms < $to GROUP BY created_at_ms / $day", tenantId, from, to);

    // Integer division by a day's milliseconds is the UTC day for the non-negative instants the window allows (from 1970).
    private Task<IReadOnlyDictionary<DateOnly, int>> PerDay(string sql, TenantId tenantId, DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyDictionary<DateOnly, int>>(db.Read(c =>
        {
            using var command = Command(c, null, sql, ("$t", tenantId.Value), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()), ("$day", DayMs));
            return ReadAll(command, r => (Day: DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)r.GetInt64(0)), Count: r.GetInt32(1)))
                .ToDictionary(x => x.Day, x => x.Count);
        }));
}
