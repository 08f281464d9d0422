using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Billing;

public sealed record CheckoutSession(string Id, string Url);

public sealed record CheckoutRequest(
    TenantId TenantId,
    UserId UserId,
    string CustomerId,
    PlanId PlanId,
    BillingCycle Cycle,
    string PriceId,
    string SuccessUrl,
    string CancelUrl,
    string IdempotencyKey);

/// <summary>
/// A refund of a payment (a Stripe payment intent <c>pi_…</c> or charge <c>ch_…</c>/<c>py_…</c>); <see cref="AmountMinor"/>
/// null refunds what is left. The admin refund endpoint builds on this.
/// </summary>
public sealed record RefundRequest(TenantId TenantId, string PaymentId, long? AmountMinor, string IdempotencyKey);

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

    /// <summary>Refunds a payment; answers the refund's id.</summary>
    Task<Result<string>> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
