using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>Money received (or refunded) for a subscription, in integer minor units.</summary>
public sealed record PaymentRecord(TenantId TenantId, UserId UserId, string Id, string? StripeSubscriptionId, Money Amount, string Status, DateTimeOffset At);
