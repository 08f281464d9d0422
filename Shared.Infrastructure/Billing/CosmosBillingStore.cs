using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Users;

namespace Shared.Infrastructure.Billing;

/// <summary>
/// Billing in Cosmos: subscriptions (one document per Stripe subscription id) and anomalies live in the user's
/// partition of <c>billing</c> [tenantId, userId], so a user's subscriptions are one single-partition query; the
/// customer link and payments stay beside the user's quota in <c>users</c>; the customer → user index and handled
/// webhook events are lookup documents.
/// </summary>
public sealed class CosmosBillingStore(CosmosDatabase db) : IBillingStore
{
    private const int MaxAttempts = 16;
    private readonly Container _users = db.Container(CosmosContainers.Users);
    private readonly Container _billing = db.Container(CosmosContainers.Billing);
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

    public async Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, string subscriptionId, CancellationToken cancellationToken)
    {
        await MigrateLegacyAsync(tenantId, userId, cancellationToken);
        return (await _billing.ReadAsync<SubscriptionDocument>(SubscriptionDocument.IdFor(subscriptionId), Keys.User(tenantId, userId), cancellationToken)).Document?.ToSubscription();
    }

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        await MigrateLegacyAsync(tenantId, userId, cancellationToken);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'subscription'");
        var documents = await CosmosQueries.ListAsync<SubscriptionDocument>(_billing, query, Keys.User(tenantId, userId), cancellationToken);
        return [.. documents.Select(d => d.ToSubscription()).OrderBy(s => s.StripeSubscriptionId, StringComparer.Ordinal)];
    }

    public async Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var id = SubscriptionDocument.IdFor(subscription.StripeSubscriptionId);
        var partitionKey = Keys.User(subscription.TenantId, subscription.UserId);
        var document = SubscriptionDocument.From(subscription);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (stored, etag) = await _billing.ReadAsync<SubscriptionDocument>(id, partitionKey, cancellationToken);
            if (stored is null)
            {
                if (await _billing.TryCreateAsync(document, partitionKey, cancellationToken))
                {
                    return true;
                }

                continue;
            }

            if (stored.StripeUpdatedAtMs > document.StripeUpdatedAtMs)
            {
                return false;
            }

            if (await _billing.TryReplaceAsync(document, id, partitionKey, etag!, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Subscription {subscription.StripeSubscriptionId} stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>A query over the tenant's users (a hierarchical-prefix query).</summary>
    public async Task<IReadOnlyList<Subscription>> ListGraceExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'subscription' AND c.status = 'past_due' AND c.grace_until_ms <= @now")
            .WithParameter("@max", max).WithParameter("@now", now.ToUnixTimeMilliseconds());
        var documents = await CosmosQueries.ListAsync<SubscriptionDocument>(_billing, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) }, max, cancellationToken);
        return [.. documents.Select(d => d.ToSubscription())];
    }

    public Task<bool> RecordAnomalyAsync(BillingAnomaly anomaly, CancellationToken cancellationToken) =>
        _billing.TryCreateAsync(AnomalyDocument.From(anomaly), Keys.User(anomaly.TenantId, anomaly.UserId), cancellationToken);

    /// <summary>A query over the tenant's users (a hierarchical-prefix query), newest first.</summary>
    public async Task<IReadOnlyList<BillingAnomaly>> ListAnomaliesAsync(TenantId tenantId, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'anomaly' ORDER BY c.detected_at_ms DESC").WithParameter("@max", max);
        var documents = await CosmosQueries.ListAsync<AnomalyDocument>(_billing, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) }, max, cancellationToken);
        return [.. documents.Select(d => d.ToAnomaly())];
    }

    /// <summary>
    /// The first versions kept one subscription document per user in <c>users</c>; it is moved into <c>billing</c>
    /// under its subscription id the first time the user's billing is read (copy first, then delete, so a stop in
    /// between repeats the copy harmlessly). One point read of a missing document (about 1 RU) once the move is done.
    /// </summary>
    private async Task MigrateLegacyAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var legacyId = SubscriptionDocument.LegacyIdFor(userId);
        var partitionKey = Keys.User(tenantId, userId);
        var (legacy, _) = await _users.ReadAsync<SubscriptionDocument>(legacyId, partitionKey, cancellationToken);
        if (legacy is null)
        {
            return;
        }

        var moved = SubscriptionDocument.From(legacy.ToSubscription());
        await _billing.TryCreateAsync(moved, partitionKey, cancellationToken);
        using var deleted = await _users.DeleteItemStreamAsync(legacyId, partitionKey, cancellationToken: cancellationToken);
        if (!deleted.IsSuccessStatusCode && deleted.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            throw new CosmosException($"Deleting the legacy subscription document of user {userId} failed.", deleted.StatusCode, 0, deleted.Headers.ActivityId, deleted.Headers.RequestCharge);
        }
    }

    public Task<bool> RecordPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken) =>
        _users.TryCreateAsync(PaymentDocument.From(payment), Keys.User(payment.TenantId, payment.UserId), cancellationToken);

    public async Task<PaymentRecord?> FindPaymentAsync(TenantId tenantId, UserId userId, string paymentId, CancellationToken cancellationToken) =>
        (await _users.ReadAsync<PaymentDocument>(PaymentDocument.IdFor(paymentId), Keys.User(tenantId, userId), cancellationToken)).Document?.ToPayment();

    public async Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'payment' ORDER BY c.at_ms");
        return [.. (await CosmosQueries.ListAsync<PaymentDocument>(_users, query, Keys.User(tenantId, userId), cancellationToken)).Select(d => d.ToPayment())];
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
