using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>
/// Billing state per tenant: Stripe customers, every subscription of a user under its own Stripe id, payments,
/// anomalies for admins, and the webhook events already handled.
/// </summary>
public interface IBillingStore
{
    Task<string?> FindCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Links a Stripe customer to a user (and back); if the user has one already, that one is kept and returned.</summary>
    Task<string> LinkCustomerAsync(TenantId tenantId, UserId userId, string customerId, CancellationToken cancellationToken);

    Task<UserId?> FindUserByCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken);

    /// <summary>One subscription of the user, by its Stripe id.</summary>
    Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Every subscription the user has (any status), ordered by Stripe id.</summary>
    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the subscription under its id unless the stored state of that same subscription came from a newer Stripe
    /// event; true when stored (an equal time stores again, so a retried event completes). Other subscriptions are untouched.
    /// </summary>
    Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Past-due subscriptions of the tenant whose grace period ended at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Subscription>> ListGraceExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Records an anomaly unless one with its id exists; true when it is new.</summary>
    Task<bool> RecordAnomalyAsync(BillingAnomaly anomaly, CancellationToken cancellationToken);

    /// <summary>The tenant's recorded anomalies, newest first (for admins).</summary>
    Task<IReadOnlyList<BillingAnomaly>> ListAnomaliesAsync(TenantId tenantId, int max, CancellationToken cancellationToken);

    /// <summary>Stores the payment unless one with its id exists; true when it is new.</summary>
    Task<bool> RecordPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken);

    Task<PaymentRecord?> FindPaymentAsync(TenantId tenantId, UserId userId, string paymentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    Task<bool> IsEventHandledAsync(TenantId tenantId, string eventId, CancellationToken cancellationToken);

    /// <summary>Remembers that an event was fully handled, so Stripe's redeliveries are skipped.</summary>
    Task MarkEventHandledAsync(TenantId tenantId, string eventId, string type, DateTimeOffset at, CancellationToken cancellationToken);
}
