using Shared.Domain.Billing;

namespace Functions.Api.Admin;

public sealed record AdminSubscriptionItem(string Id, string PlanId, string BillingCycle, string Status, DateTimeOffset CurrentPeriodEnd, bool CancelAtPeriodEnd)
{
    public static AdminSubscriptionItem From(Subscription s) =>
        new(s.StripeSubscriptionId, s.PlanId.Value, BillingText.Format(s.Cycle), BillingText.Format(s.Status), s.CurrentPeriodEnd, s.CancelAtPeriodEnd);
}
