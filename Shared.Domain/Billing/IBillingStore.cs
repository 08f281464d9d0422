using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>Billing state per tenant: Stripe customers, subscriptions, payments and the webhook events already handled.</summary>
public interface IBillingStore
{
    Task<string?> FindCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Links a Stripe customer to a user (and back); if the user has one already, that one is kept and returned.</summary>
    Task<string> LinkCustomerAsync(TenantId tenantId, UserId userId, string customerId, CancellationToken cancellationToken);

    Task<UserId?> FindUserByCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken);

    Task<Subscription?> GetSubscriptionAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Stores the subscription unless the stored one came from a newer Stripe event; true when stored.</summary>
    Task<bool> SaveSubscriptionIfNewerAsync(Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Past-due subscriptions of the tenant whose grace period ended at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Subscription>> ListGraceExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Stores the payment unless one with its id exists; true when it is new.</summary>
    Task<bool> RecordPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken);

    Task<PaymentRecord?> FindPaymentAsync(TenantId tenantId, UserId userId, string paymentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    Task<bool> IsEventHandledAsync(TenantId tenantId, string eventId, CancellationToken cancellationToken);

    /// <summary>Remembers that an event was fully handled, so Stripe's redeliveries are skipped.</summary>
    Task MarkEventHandledAsync(TenantId tenantId, string eventId, string type, DateTimeOffset at, CancellationToken cancellationToken);
}
