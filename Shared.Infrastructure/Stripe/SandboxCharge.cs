using Shared.Domain.Common;

namespace Shared.Infrastructure.Stripe;

/// <param name="Metadata">The payment's own metadata (a wallet top-up's); null: the plan checkout's tenant and user.</param>
public sealed record SandboxCharge(TenantId TenantId, UserId UserId, string CustomerId, string ChargeId, string PaymentIntentId, Money Amount, long Refunded, IReadOnlyDictionary<string, string>? Metadata = null);
