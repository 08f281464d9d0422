using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// <c>checkout.session.completed</c> of a checkout this backend started: links the customer, records a lifetime
/// purchase's payment, starts the subscription unless its own events did already, and syncs the user's plan.
/// </summary>
public sealed class ApplyCheckoutCompleted(IBillingStore billing, UserPlanSync plans)
{
    /// <summary>Lifetime purchases are stored as subscriptions whose id starts with this (Stripe has no subscription for them).</summary>
    public const string LifetimePrefix = "lifetime_";

    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, CheckoutCompleted e, CancellationToken cancellationToken)
    {
        var metadata = e.Metadata;
        if (!metadata.ContainsKey("user_id") && !metadata.ContainsKey("plan_id") && !metadata.ContainsKey("billing_cycle"))
        {
            return WebhookOutcome.Ignored; // not a checkout this backend started
        }

        var userId = StripeEventRules.UserOf(metadata, e.ClientReferenceId);
        var plan = PlanId.TryParse(metadata.GetValueOrDefault("plan_id"), out var planId) ? tenant.FindPlan(planId.Value) : null;
        if (userId is null || plan is null || !BillingText.TryParseCycle(metadata.GetValueOrDefault("billing_cycle"), out var cycle))
        {
            return StripeEventRules.Invalid(e, "its user_id, plan_id or billing_cycle metadata does not name a user, plan and cycle of this tenant");
        }

        var lifetime = cycle == BillingCycle.Lifetime;
        if (lifetime != (e.Mode == "payment") || (!lifetime && e.Mode != "subscription"))
        {
            return StripeEventRules.Invalid(e, $"mode '{e.Mode}' does not fit billing_cycle '{BillingText.Format(cycle)}'");
        }

        if (e.CustomerId is null || (lifetime ? e.PaymentStatus != "paid" : e.SubscriptionId is null))
        {
            return WebhookOutcome.Ignored; // nothing bought yet (an unpaid asynchronous payment, or no subscription started)
        }

        if (lifetime && e.AmountTotal is null)
        {
            return StripeEventRules.Invalid(e, "a paid one-time checkout has no amount_total and currency");
        }

        // Checked whole; the writes follow.
        await billing.LinkCustomerAsync(tenant.Id, userId.Value, e.CustomerId, cancellationToken);
        var subscriptionId = lifetime ? LifetimePrefix + e.SessionId : e.SubscriptionId!;
        var saved = false;
        if (lifetime)
        {
            // A one-time payment: recorded as a payment and as a subscription that never ends or renews.
            if (e.AmountTotal is { MinorUnits: > 0 } amount)
            {
                await billing.RecordPaymentAsync(new PaymentRecord(tenant.Id, userId.Value, e.SessionId, null, amount, "succeeded", e.Created), cancellationToken);
            }
        }

        // The subscription's own events are its authority; the checkout only starts a subscription not seen yet.
        if (await billing.GetSubscriptionAsync(tenant.Id, userId.Value, subscriptionId, cancellationToken) is null)
        {
            saved = await billing.SaveSubscriptionIfNewerAsync(
                Subscription.StartedByCheckout(tenant.Id, userId.Value, subscriptionId, e.CustomerId, plan.Id, cycle, e.Created),
                cancellationToken);
        }

        await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
        return saved || lifetime ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }
}
