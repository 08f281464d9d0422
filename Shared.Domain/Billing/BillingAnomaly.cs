using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>
/// Something in a user's billing that needs a person: today, two subscriptions that both grant a plan (the user is
/// billed twice, e.g. after paying in two tabs). Recorded once per <see cref="Id"/> and kept for admins; the user keeps
/// the best plan meanwhile (<see cref="PlanSelection"/>).
/// </summary>
public sealed record BillingAnomaly(
    TenantId TenantId,
    UserId UserId,
    string Id,
    string Reason,
    IReadOnlyList<string> SubscriptionIds,
    DateTimeOffset DetectedAt,
    string Detail)
{
    public const string SecondActiveSubscription = "second_active_subscription";
}
