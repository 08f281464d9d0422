using Microsoft.Azure.Cosmos;
using Shared.Domain.Admin;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Admin metrics' facts read with tenant-prefix queries (the first level of the hierarchical partition key), never
/// across tenants: subscriptions in <c>billing</c>; payments, users and feature requests in <c>users</c>; usage records
/// in <c>usage</c>. Counts are aggregated in the store (<c>SELECT VALUE COUNT(1)</c>), one query per UTC day of the
/// window for the per-day figures (at most <see cref="AdminMetrics.MaxDays"/>, a few at a time), so what is read
/// into memory is one number per day whatever the tenant's history holds. Not one GROUP BY query: the test server
/// does not evaluate GROUP BY, and a tenant-prefix GROUP BY would need the SDK's cross-partition aggregation anyway.
/// </summary>
public sealed class CosmosAdminMetricsSource(CosmosDatabase db) : IAdminMetricsSource
{
    /// <summary>How many per-day counts run at once (a window has at most a year of days).</summary>
    public const int DaysAtOnce = 8;

    private readonly Container _billing = db.Container(CosmosContainers.Billing);
    private readonly Container _users = db.Container(CosmosContainers.Users);
    private readonly Container _usage = db.Container(CosmosContainers.Usage);

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        [.. (await QueryAsync<SubscriptionDocument>(_billing, new QueryDefinition("SELECT * FROM c WHERE c.type = 'subscription'"), tenantId, cancellationToken)).Select(d => d.ToSubscription())];

    public async Task<IReadOnlyList<PaymentRecord>> ListSubscriptionPaymentsAsync(TenantId tenantId, DateTimeOffset atOrBefore, CancellationToken cancellationToken) =>
        [.. (await QueryAsync<PaymentDocument>(
                _users,
                new QueryDefinition("SELECT * FROM c WHERE c.type = 'payment' AND c.at_ms <= @at").WithParameter("@at", atOrBefore.ToUnixTimeMilliseconds()),
                tenantId,
                cancellationToken))
            .Where(d => d.StripeSubscriptionId is not null)
            .Select(d => d.ToPayment())];

    public Task<int> CountUsersCreatedAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        CountAsync(_users, "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'user' AND c.created_at_ms >= @from AND c.created_at_ms < @to", tenantId, from, to, cancellationToken);

    public Task<IReadOnlyDictionary<DateOnly, int>> CountUsesPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDayAsync(_usage, "SELECT VALUE COUNT(1) FROM c WHERE c.outcome = 'allowed' AND c.at_ms >= @from AND c.at_ms < @to", tenantId, from, to, cancellationToken);

    public Task<IReadOnlyDictionary<DateOnly, int>> CountAiRequestsPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDayAsync(_users, "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'feature_request' AND c.created_at_ms >= @from AND c.created_at_ms < @to", tenantId, from, to, cancellationToken);

    // One aggregate per UTC day in [from, to) (the window is whole days), DaysAtOnce at a time: bounded memory and
    // bounded concurrent load on the store, whatever the number of records.
    private static async Task<IReadOnlyDictionary<DateOnly, int>> PerDayAsync(Container container, string countSql, TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var days = new List<DateTimeOffset>();
        for (var day = from; day < to; day = day.AddDays(1))
        {
            days.Add(day);
        }

        var counts = new Dictionary<DateOnly, int>();
        foreach (var chunk in days.Chunk(DaysAtOnce))
        {
            var results = await Task.WhenAll(chunk.Select(day => CountAsync(container, countSql, tenantId, day, Min(day.AddDays(1), to), cancellationToken)));
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i] > 0)
                {
                    counts[DateOnly.FromDateTime(chunk[i].UtcDateTime)] = results[i];
                }
            }
        }

        return counts;
    }

    private static async Task<int> CountAsync(Container container, string countSql, TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(countSql).WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds());
        return (await CosmosQueries.ListAsync<int>(container, query, Keys.TenantPrefix(tenantId), cancellationToken)).Sum(); // partial counts (per partition range) add up
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, TenantId tenantId, CancellationToken cancellationToken) =>
        CosmosQueries.ListAsync<T>(container, query, Keys.TenantPrefix(tenantId), cancellationToken);
}
