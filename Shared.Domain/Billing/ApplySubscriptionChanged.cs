using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// <c>customer.subscription.created/updated/deleted</c>: stores that subscription as Stripe describes it (unless a newer
/// event did) and syncs the user's plan from all their subscriptions.
/// </summary>
public sealed class ApplySubscriptionChanged(IBillingStore billing, UserPlanSync plans, BillingOptions options)
{
    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, SubscriptionChanged e, CancellationToken cancellationToken)
    {
        var userId = StripeEventRules.UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return StripeEventRules.Unresolvable(e, "neither metadata nor a known customer names the user");
        }

        var stored = await billing.GetSubscriptionAsync(tenant.Id, userId.Value, e.SubscriptionId, cancellationToken);
        var priced = tenant.FindByStripePrice(e.PriceId);
        var plan = priced?.Plan ?? (stored is not null ? tenant.FindPlan(stored.PlanId) : null);
        if (plan is null)
        {
            return StripeEventRules.Unresolvable(e, $"price {e.PriceId} is not one of this tenant's plans");
        }

        var status = e.Deleted ? SubscriptionStatus.Canceled : StripeEventRules.StatusOf(e.StripeStatus);
        DateTimeOffset? grace = status == SubscriptionStatus.PastDue ? stored?.GraceUntil ?? e.Created + options.GracePeriod : null;
        var subscription = new Subscription(
            tenant.Id, userId.Value, e.SubscriptionId, e.CustomerId, plan.Id, priced?.Cycle ?? stored?.Cycle ?? BillingCycle.Monthly,
            status, e.CurrentPeriodStart, e.CurrentPeriodEnd, e.CancelAtPeriodEnd, grace, e.Created, e.BillingCycleAnchor ?? e.CurrentPeriodStart);

        // Checked whole; the writes follow. Only this subscription changes; the plan is derived from all of them, so
        // an event about an old or second subscription never takes away what another one grants.
        await billing.LinkCustomerAsync(tenant.Id, userId.Value, e.CustomerId, cancellationToken);
        var saved = await billing.SaveSubscriptionIfNewerAsync(subscription, cancellationToken);
        await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
        return saved ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }
}
