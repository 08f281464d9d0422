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
/// in <c>usage</c>. Per-day counts are bucketed here from the times the query returns (no GROUP BY, which the test
/// server does not evaluate like Cosmos does).
/// </summary>
public sealed class CosmosAdminMetricsSource(CosmosDatabase db) : IAdminMetricsSource
{
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

    public async Task<int> CountUsersCreatedAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await TimesAsync(_users, "SELECT c.created_at_ms AS at_ms FROM c WHERE c.type = 'user' AND c.created_at_ms >= @from AND c.created_at_ms < @to", tenantId, from, to, cancellationToken)).Count;

    public async Task<IReadOnlyDictionary<DateOnly, int>> CountUsesPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDay(await TimesAsync(_usage, "SELECT c.at_ms FROM c WHERE c.outcome = 'allowed' AND c.at_ms >= @from AND c.at_ms < @to", tenantId, from, to, cancellationToken));

    public async Task<IReadOnlyDictionary<DateOnly, int>> CountAiRequestsPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        PerDay(await TimesAsync(_users, "SELECT c.created_at_ms AS at_ms FROM c WHERE c.type = 'feature_request' AND c.created_at_ms >= @from AND c.created_at_ms < @to", tenantId, from, to, cancellationToken));

    private static Dictionary<DateOnly, int> PerDay(IEnumerable<long> times) =>
        times.GroupBy(ms => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());

    private static async Task<List<long>> TimesAsync(Container container, string sql, TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await QueryAsync<TimeRow>(container, new QueryDefinition(sql).WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds()), tenantId, cancellationToken)).Select(r => r.AtMs)];

    private static async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, TenantId tenantId, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults)
        {
            list.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return list;
    }

    private sealed class TimeRow
    {
        public long AtMs { get; set; }
    }
}
