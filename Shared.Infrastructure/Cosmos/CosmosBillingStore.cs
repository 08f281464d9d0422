using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// Billing in Cosmos without new containers: per-user documents (customer link, subscription, payments) live in the
/// user's partition of <c>users</c>; the customer → user index and handled webhook events are lookup documents.
/// </summary>
public sealed class CosmosBillingStore(CosmosDatabase db) : IBillingStore
{
    private const int MaxAttempts = 16;
    private readonly Container _users = db.Container(CosmosContainers.Users);
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<string?> FindCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        (await _users.ReadAsync<CustomerLinkDocument>(CustomerLinkDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken)).Document?.CustomerId;

    public async Task<string> LinkCustomerAsync(TenantId tenantId, UserId userId, string customerId, CancellationToken cancellationToken)
    {
        var link = new CustomerLinkDocument { Id = CustomerLinkDocument.IdFor(userId), TenantId = tenantId.Value, UserId = userId.Value, CustomerId = customerId };
        if (!await _users.TryCreateAsync(link, Keys.User(tenantId, userId), cancellationToken))
        {
            customerId = (await FindCustomerAsync(tenantId, userId, cancellationToken))!;
        }

        var key = CustomerKey(customerId);
        await _lookups.TryCreateAsync(new LookupDocument { Id = key, TenantId = tenantId.Value, LookupKey = key, UserId = userId.Value, EmailSettled = true }, Keys.Lookup(tenantId, key), cancellationToken);
        return customerId;
    }

    public async Task<UserId?> FindUserByCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken)
    {
        var key = CustomerKey(customerId);
        var (doc, _) = await _lookups.ReadAsync<LookupDocument>(key, Keys.Lookup(tenantId, key), cancellationToken);
        return doc is null ? null : UserId.Parse(doc.UserId);
    }

    public async Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        (await _users.ReadAsync<SubscriptionDocument>(SubscriptionDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken)).Document?.ToSubscription();

    public async Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var id = SubscriptionDocument.IdFor(subscription.UserId);
        var partitionKey = Keys.User(subscription.TenantId, subscription.UserId);
        var document = SubscriptionDocument.From(subscription);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (stored, etag) = await _users.ReadAsync<SubscriptionDocument>(id, partitionKey, cancellationToken);
            if (stored is null)
            {
                if (await _users.TryCreateAsync(document, partitionKey, cancellationToken))
                {
                    return true;
                }

                continue;
            }

            if (stored.StripeUpdatedAtMs > document.StripeUpdatedAtMs)
            {
                return false;
            }

            if (await _users.TryReplaceAsync(document, id, partitionKey, etag!, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Subscription of user {subscription.UserId} stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>A query over the tenant's users (a hierarchical-prefix query; needs the official emulator or Azure to test).</summary>
    public async Task<IReadOnlyList<Subscription>> ListGraceExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'subscription' AND c.status = 'past_due' AND c.grace_until_ms <= @now")
            .WithParameter("@max", max).WithParameter("@now", now.ToUnixTimeMilliseconds());
        var list = new List<Subscription>();
        using var iterator = _users.GetItemQueryIterator<SubscriptionDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults && list.Count < max)
        {
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => d.ToSubscription()));
        }

        return list;
    }

    public Task<bool> RecordPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken) =>
        _users.TryCreateAsync(PaymentDocument.From(payment), Keys.User(payment.TenantId, payment.UserId), cancellationToken);

    public async Task<PaymentRecord?> FindPaymentAsync(TenantId tenantId, UserId userId, string paymentId, CancellationToken cancellationToken) =>
        (await _users.ReadAsync<PaymentDocument>(PaymentDocument.IdFor(paymentId), Keys.User(tenantId, userId), cancellationToken)).Document?.ToPayment();

    public async Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'payment' ORDER BY c.at_ms");
        var list = new List<PaymentRecord>();
        using var iterator = _users.GetItemQueryIterator<PaymentDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId) });
        while (iterator.HasMoreResults)
        {
            list.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => d.ToPayment()));
        }

        return list;
    }

    public async Task<bool> IsEventHandledAsync(TenantId tenantId, string eventId, CancellationToken cancellationToken)
    {
        var key = EventKey(eventId);
        return (await _lookups.ReadAsync<LookupDocument>(key, Keys.Lookup(tenantId, key), cancellationToken)).Document is not null;
    }

    public Task MarkEventHandledAsync(TenantId tenantId, string eventId, string type, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = EventKey(eventId);
        return _lookups.TryCreateAsync(new LookupDocument { Id = key, TenantId = tenantId.Value, LookupKey = key, UserId = type, CreatedAtMs = at.ToUnixTimeMilliseconds() }, Keys.Lookup(tenantId, key), cancellationToken);
    }

    private static string CustomerKey(string customerId) => Keys.Hashed("stripe-customer:", customerId);

    private static string EventKey(string eventId) => Keys.Hashed("stripe-event:", eventId);

    private sealed class CustomerLinkDocument
    {
        public string Id { get; set; } = "";

        [JsonPropertyName("tenantId")]
        public string TenantId { get; set; } = "";

        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";

        public string Type { get; set; } = "customer";

        public string CustomerId { get; set; } = "";

        public static string IdFor(UserId userId) => "customer:" + userId.Value;
    }
}
