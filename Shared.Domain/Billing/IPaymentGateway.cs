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
/// The payment provider: Stripe over its REST API in production, or the local payment sandbox (embedded default).
/// Failures are values: a card error, the provider refusing the request, or the provider being unreachable.
/// </summary>
public interface IPaymentGateway
{
    Task<Result<string>> CreateCustomerAsync(TenantId tenantId, UserId userId, EmailAddress? email, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<CheckoutSession>> CreateCheckoutSessionAsync(CheckoutRequest request, CancellationToken cancellationToken);

    Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, CancellationToken cancellationToken);

    Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);
}
