using Shared.Domain.Common;

namespace Shared.Infrastructure.Stripe;

public sealed record SandboxSubscription(TenantId TenantId, UserId UserId, string CustomerId, string SubscriptionId, string PriceId, PlanId PlanId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, bool CancelAtPeriodEnd);
