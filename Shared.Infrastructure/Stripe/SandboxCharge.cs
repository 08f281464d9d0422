using Shared.Domain.Common;

namespace Shared.Infrastructure.Stripe;

public sealed record SandboxCharge(TenantId TenantId, UserId UserId, string CustomerId, string ChargeId, string PaymentIntentId, Money Amount, long Refunded);
