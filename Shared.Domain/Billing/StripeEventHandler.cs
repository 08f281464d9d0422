using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

public enum WebhookOutcome
{
    /// <summary>The event changed state (or was checked and needed no change).</summary>
    Applied,

    /// <summary>The event was handled before; nothing was done.</summary>
    Duplicate,

    /// <summary>The event is of no concern (another tenant's, an older state, a type we do not act on).</summary>
    Ignored,
}

public sealed class BillingOptions
{
    /// <summary>How long a past-due subscription keeps its plan before it falls back to the free plan.</summary>
    public int GracePeriodDays { get; set; } = 3;
}

/// <summary>
/// Turns Stripe events into state, each event touching only the subscription it names. Every event is checked whole
/// before the first write (an event that cannot be applied writes nothing); the writes are idempotent and ordered so
/// that a retry completes them (customer link, then payment or the subscription's own state, then the user's plan,
/// derived from all their subscriptions by <see cref="UserPlanSync"/>); the event id is remembered only after all of
/// them, so a failure midway lets Stripe's retry finish the work.
/// </summary>
public sealed class StripeEventHandler(IBillingStore billing, UserPlanSync plans, BillingOptions options, TimeProvider time)
{
    /// <summary>Lifetime purchases are stored as subscriptions whose id starts with this (Stripe has no subscription for them).</summary>
    public const string LifetimePrefix = "lifetime_";

    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, BillingEvent stripeEvent, CancellationToken cancellationToken)
    {
        if (await billing.IsEventHandledAsync(tenant.Id, stripeEvent.Id, cancellationToken))
        {
            return WebhookOutcome.Duplicate;
        }

        Result<WebhookOutcome> outcome;
        if (stripeEvent.Metadata.TryGetValue("tenant_id", out var metadataTenant) && metadataTenant != tenant.Id.Value)
        {
            outcome = WebhookOutcome.Ignored;
        }
        else
        {
            outcome = stripeEvent switch
            {
                CheckoutCompleted e => await OnCheckoutCompletedAsync(tenant, e, cancellationToken),
                SubscriptionChanged e => await OnSubscriptionChangedAsync(tenant, e, cancellationToken),
                InvoiceEvent e => await OnInvoiceAsync(tenant, e, cancellationToken),
                ChargeRefunded e => await OnRefundAsync(tenant, e, cancellationToken),
                _ => WebhookOutcome.Ignored,
            };
        }

        if (!outcome.IsSuccess)
        {
            return outcome;
        }

        await billing.MarkEventHandledAsync(tenant.Id, stripeEvent.Id, stripeEvent.Type, time.GetUtcNow(), cancellationToken);
        return outcome;
    }

    private async Task<Result<WebhookOutcome>> OnCheckoutCompletedAsync(Tenant tenant, CheckoutCompleted e, CancellationToken cancellationToken)
    {
        var metadata = e.Metadata;
        if (!metadata.ContainsKey("user_id") && !metadata.ContainsKey("plan_id") && !metadata.ContainsKey("billing_cycle"))
        {
            return WebhookOutcome.Ignored; // not a checkout this backend started
        }

        var userId = UserOf(metadata, e.ClientReferenceId);
        var plan = PlanId.TryParse(metadata.GetValueOrDefault("plan_id"), out var planId) ? tenant.FindPlan(planId.Value) : null;
        if (userId is null || plan is null || !BillingText.TryParseCycle(metadata.GetValueOrDefault("billing_cycle"), out var cycle))
        {
            return Invalid(e, "its user_id, plan_id or billing_cycle metadata does not name a user, plan and cycle of this tenant");
        }

        var lifetime = cycle == BillingCycle.Lifetime;
        if (lifetime != (e.Mode == "payment") || (!lifetime && e.Mode != "subscription"))
        {
            return Invalid(e, $"mode '{e.Mode}' does not fit billing_cycle '{BillingText.Format(cycle)}'");
        }

        if (e.CustomerId is null || (lifetime ? e.PaymentStatus != "paid" : e.SubscriptionId is null))
        {
            return WebhookOutcome.Ignored; // nothing bought yet (an unpaid asynchronous payment, or no subscription started)
        }

        if (lifetime && e.AmountTotal is null)
        {
            return Invalid(e, "a paid one-time checkout has no amount_total and currency");
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
            var periodEnd = cycle switch
            {
                BillingCycle.Monthly => e.Created.AddMonths(1),
                BillingCycle.Yearly => e.Created.AddYears(1),
                _ => DateTimeOffset.MaxValue,
            };
            saved = await billing.SaveSubscriptionIfNewerAsync(
                new Subscription(tenant.Id, userId.Value, subscriptionId, e.CustomerId, plan.Id, cycle, SubscriptionStatus.Active, e.Created, periodEnd, false, null, e.Created, e.Created),
                cancellationToken);
        }

        await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
        return saved || lifetime ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }

    private async Task<Result<WebhookOutcome>> OnSubscriptionChangedAsync(Tenant tenant, SubscriptionChanged e, CancellationToken cancellationToken)
    {
        var userId = UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return Unresolvable(e, "neither metadata nor a known customer names the user");
        }

        var stored = await billing.GetSubscriptionAsync(tenant.Id, userId.Value, e.SubscriptionId, cancellationToken);
        var priced = tenant.FindByStripePrice(e.PriceId);
        var plan = priced?.Plan ?? (stored is not null ? tenant.FindPlan(stored.PlanId) : null);
        if (plan is null)
        {
            return Unresolvable(e, $"price {e.PriceId} is not one of this tenant's plans");
        }

        var status = e.Deleted ? SubscriptionStatus.Canceled : StatusOf(e.StripeStatus);
        DateTimeOffset? grace = status == SubscriptionStatus.PastDue ? stored?.GraceUntil ?? e.Created.AddDays(options.GracePeriodDays) : null;
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

    private async Task<Result<WebhookOutcome>> OnInvoiceAsync(Tenant tenant, InvoiceEvent e, CancellationToken cancellationToken)
    {
        var userId = UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return Unresolvable(e, "the invoice's customer is not linked to a user yet");
        }

        var stored = e.SubscriptionId is null ? null : await billing.GetSubscriptionAsync(tenant.Id, userId.Value, e.SubscriptionId, cancellationToken);
        if (e.Paid)
        {
            if (e.Amount.MinorUnits > 0)
            {
                await billing.RecordPaymentAsync(new PaymentRecord(tenant.Id, userId.Value, e.InvoiceId, e.SubscriptionId, e.Amount, "succeeded", e.Created), cancellationToken);
            }

            if (stored is { Status: SubscriptionStatus.PastDue or SubscriptionStatus.Suspended })
            {
                await billing.SaveSubscriptionIfNewerAsync(stored with { Status = SubscriptionStatus.Active, GraceUntil = null, StripeUpdatedAt = e.Created }, cancellationToken);
            }

            if (stored is not null)
            {
                await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
            }

            return WebhookOutcome.Applied;
        }

        if (stored is null || stored.Status is SubscriptionStatus.Canceled or SubscriptionStatus.Suspended)
        {
            return WebhookOutcome.Ignored;
        }

        var pastDue = stored with { Status = SubscriptionStatus.PastDue, GraceUntil = stored.GraceUntil ?? e.Created.AddDays(options.GracePeriodDays), StripeUpdatedAt = e.Created };
        var saved = await billing.SaveSubscriptionIfNewerAsync(pastDue, cancellationToken);
        await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
        return saved ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }

    private async Task<Result<WebhookOutcome>> OnRefundAsync(Tenant tenant, ChargeRefunded e, CancellationToken cancellationToken)
    {
        if (e.AmountRefunded.MinorUnits == 0)
        {
            return WebhookOutcome.Ignored;
        }

        var userId = UserOf(e.Metadata, null) ?? (e.CustomerId is null ? null : await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken));
        if (userId is null)
        {
            // A charge with neither our metadata nor a customer was not made by this backend.
            return e.CustomerId is null ? WebhookOutcome.Ignored : Unresolvable(e, "the charge's customer is not linked to a user");
        }

        // One record per cumulative refunded amount, so partial refunds each leave a trace and repeats leave none.
        var refund = new PaymentRecord(tenant.Id, userId.Value, $"{e.ChargeId}_refund_{e.AmountRefunded.MinorUnits}", null, e.AmountRefunded, "refunded", e.Created);
        await billing.RecordPaymentAsync(refund, cancellationToken);
        return WebhookOutcome.Applied;
    }

    private static UserId? UserOf(IReadOnlyDictionary<string, string> metadata, string? clientReferenceId) =>
        UserId.TryParse(metadata.GetValueOrDefault("user_id") ?? clientReferenceId, out var id) ? id : null;

    private static SubscriptionStatus StatusOf(string stripeStatus) => stripeStatus switch
    {
        "active" or "trialing" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "incomplete" => SubscriptionStatus.Incomplete,
        _ => SubscriptionStatus.Canceled, // canceled, unpaid, incomplete_expired, paused
    };

    /// <summary>Not applied and not remembered: the answer is a 409, so Stripe retries (the missing piece may arrive).</summary>
    private static Error Unresolvable(BillingEvent e, string why) =>
        new(ErrorKind.Conflict, "event_not_applicable_yet", $"Event {e.Id} ({e.Type}) cannot be applied yet: {why}.");

    /// <summary>Validly signed but not a state this backend can accept: a 400, nothing written.</summary>
    private static Error Invalid(BillingEvent e, string why) =>
        new(ErrorKind.Validation, "invalid_event", $"Event {e.Id} ({e.Type}) is not acceptable: {why}.");
}
