using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Billing;

/// <summary>
/// The payment provider: Stripe through Stripe.net in production, or the local payment sandbox (embedded default).
/// Every call that creates something carries an idempotency key, so a retried call never creates it twice.
/// Failures are values: a card error, the provider refusing the request, or the provider being unreachable.
/// </summary>
public interface IPaymentGateway
{
    Task<Result<string>> CreateCustomerAsync(TenantId tenantId, UserId userId, EmailAddress? email, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<CheckoutSession>> CreateCheckoutSessionAsync(CheckoutRequest request, CancellationToken cancellationToken);

    Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the customer (an erasure): the provider forgets the customer's email and cancels its subscriptions at
    /// once. A customer already deleted (or unknown to the provider) counts as deleted, so a retry succeeds.
    /// </summary>
    Task<Result<bool>> DeleteCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken);

    /// <summary>Refunds a payment; answers the refund's id.</summary>
    Task<Result<string>> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
