using Shared.Domain.Common;

namespace Shared.Domain.Billing;

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
