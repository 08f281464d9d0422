using Shared.Domain.Common;
using Shared.Domain.Quotas;
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
/// Turns Stripe events into state. Every effect is idempotent (payments keyed by invoice id, subscriptions stored only
/// if newer, plan changes that are no-ops when repeated), so a redelivered or concurrently delivered event changes
/// state once; the event id is remembered only after its effects are stored, so a failure midway lets Stripe's retry
/// do the work again.
/// </summary>
public sealed class StripeEventHandler(IBillingStore billing, IQuotaStore quotas, BillingOptions options, TimeProvider time)
{
    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, BillingEvent stripeEvent, CancellationToken cancellationToken)
    {
        if (await billing.IsEventHandledAsync(tenant.Id, stripeEvent.Id, cancellationToken))
        {
            return WebhookOutcome.Duplicate;
        }

        if (stripeEvent.Metadata.TryGetValue("tenant_id", out var metadataTenant) && metadataTenant != tenant.Id.Value)
        {
            await billing.MarkEventHandledAsync(tenant.Id, stripeEvent.Id, stripeEvent.Type, time.GetUtcNow(), cancellationToken);
            return WebhookOutcome.Ignored;
        }

        var outcome = stripeEvent switch
        {
            CheckoutCompleted e => await OnCheckoutCompletedAsync(tenant, e, cancellationToken),
            SubscriptionChanged e => await OnSubscriptionChangedAsync(tenant, e, cancellationToken),
            InvoiceEvent e => await OnInvoiceAsync(tenant, e, cancellationToken),
            ChargeRefunded e => await OnRefundAsync(tenant, e, cancellationToken),
            _ => WebhookOutcome.Ignored,
        };
        if (!outcome.IsSuccess)
        {
            return outcome;
        }

        await billing.MarkEventHandledAsync(tenant.Id, stripeEvent.Id, stripeEvent.Type, time.GetUtcNow(), cancellationToken);
        return outcome;
    }

    private async Task<Result<WebhookOutcome>> OnCheckoutCompletedAsync(Tenant tenant, CheckoutCompleted e, CancellationToken cancellationToken)
    {
        var isLifetime = e.Mode == "payment" && e.Metadata.GetValueOrDefault("billing_cycle") == "lifetime";
        if (((e.Mode != "subscription" || e.SubscriptionId is null) && !isLifetime) || e.CustomerId is null)
        {
            return WebhookOutcome.Ignored;
        }

        var userId = UserOf(e.Metadata, e.ClientReferenceId);
        var plan = PlanId.TryParse(e.Metadata.GetValueOrDefault("plan_id"), out var planId) ? tenant.FindPlan(planId.Value) : null;
        if (userId is null || plan is null || !BillingText.TryParseCycle(e.Metadata.GetValueOrDefault("billing_cycle"), out var cycle))
        {
            return Unresolvable(e, "the session lacks user_id, plan_id or billing_cycle metadata of this tenant");
        }

        await billing.LinkCustomerAsync(tenant.Id, userId.Value, e.CustomerId, cancellationToken);
        if (isLifetime)
        {
            // A one-time payment: recorded as a payment and as a subscription that never ends or renews.
            if (e.AmountTotal is > 0 && e.Currency is { Length: 3 } currency)
            {
                await billing.RecordPaymentAsync(new PaymentRecord(tenant.Id, userId.Value, e.SessionId, null, new Money(e.AmountTotal.Value, currency.ToUpperInvariant()), "succeeded", e.Created), cancellationToken);
            }

            var forever = new Subscription(tenant.Id, userId.Value, LifetimePrefix + e.SessionId, e.CustomerId, plan.Id, BillingCycle.Lifetime, SubscriptionStatus.Active, e.Created, DateTimeOffset.MaxValue, false, null, e.Created);
            if (await billing.SaveSubscriptionIfNewerAsync(forever, cancellationToken))
            {
                await ChangePlanAsync(tenant, userId.Value, plan, e.Created, cancellationToken);
            }

            return WebhookOutcome.Applied;
        }

        var periodEnd = cycle == BillingCycle.Monthly ? e.Created.AddMonths(1) : e.Created.AddYears(1);
        var subscription = new Subscription(tenant.Id, userId.Value, e.SubscriptionId!, e.CustomerId, plan.Id, cycle, SubscriptionStatus.Active, e.Created, periodEnd, false, null, e.Created);
        if (!await billing.SaveSubscriptionIfNewerAsync(subscription, cancellationToken))
        {
            return WebhookOutcome.Ignored; // a newer subscription event got here first and already set the plan
        }

        await ChangePlanAsync(tenant, userId.Value, plan, e.Created, cancellationToken);
        return WebhookOutcome.Applied;
    }

    /// <summary>Lifetime purchases are stored as subscriptions whose id starts with this (Stripe has no subscription for them).</summary>
    public const string LifetimePrefix = "lifetime_";

    private async Task<Result<WebhookOutcome>> OnSubscriptionChangedAsync(Tenant tenant, SubscriptionChanged e, CancellationToken cancellationToken)
    {
        var userId = UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return Unresolvable(e, "neither metadata nor a known customer names the user");
        }

        var stored = await billing.GetSubscriptionAsync(tenant.Id, userId.Value, cancellationToken);
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
            status, e.CurrentPeriodStart, e.CurrentPeriodEnd, e.CancelAtPeriodEnd, grace, e.Created);
        await billing.LinkCustomerAsync(tenant.Id, userId.Value, e.CustomerId, cancellationToken);
        if (!await billing.SaveSubscriptionIfNewerAsync(subscription, cancellationToken))
        {
            return WebhookOutcome.Ignored;
        }

        switch (status)
        {
            case SubscriptionStatus.Active or SubscriptionStatus.PastDue:
                await ChangePlanAsync(tenant, userId.Value, plan, e.BillingCycleAnchor ?? e.CurrentPeriodStart, cancellationToken);
                break;
            case SubscriptionStatus.Canceled:
                // Stripe ends a subscription cancelled "at period end" only when that end comes: the downgrade is now.
                await ChangePlanAsync(tenant, userId.Value, tenant.DefaultPlan, e.Created, cancellationToken);
                break;
        }

        return WebhookOutcome.Applied;
    }

    private async Task<Result<WebhookOutcome>> OnInvoiceAsync(Tenant tenant, InvoiceEvent e, CancellationToken cancellationToken)
    {
        var userId = UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return Unresolvable(e, "the invoice's customer is not linked to a user yet");
        }

        var stored = await billing.GetSubscriptionAsync(tenant.Id, userId.Value, cancellationToken);
        if (e.Paid)
        {
            if (e.Amount > 0)
            {
                await billing.RecordPaymentAsync(new PaymentRecord(tenant.Id, userId.Value, e.InvoiceId, e.SubscriptionId, new Money(e.Amount, e.Currency.ToUpperInvariant()), "succeeded", e.Created), cancellationToken);
            }

            if (stored is { Status: SubscriptionStatus.PastDue or SubscriptionStatus.Suspended } && stored.StripeSubscriptionId == e.SubscriptionId
                && await billing.SaveSubscriptionIfNewerAsync(stored with { Status = SubscriptionStatus.Active, GraceUntil = null, StripeUpdatedAt = e.Created }, cancellationToken)
                && stored.Status == SubscriptionStatus.Suspended && tenant.FindPlan(stored.PlanId) is { } plan)
            {
                await ChangePlanAsync(tenant, userId.Value, plan, stored.CurrentPeriodStart, cancellationToken);
            }

            return WebhookOutcome.Applied;
        }

        if (stored is null || stored.StripeSubscriptionId != e.SubscriptionId || stored.Status is SubscriptionStatus.Canceled or SubscriptionStatus.Suspended)
        {
            return WebhookOutcome.Ignored;
        }

        var pastDue = stored with { Status = SubscriptionStatus.PastDue, GraceUntil = stored.GraceUntil ?? e.Created.AddDays(options.GracePeriodDays), StripeUpdatedAt = e.Created };
        return await billing.SaveSubscriptionIfNewerAsync(pastDue, cancellationToken) ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }

    private async Task<Result<WebhookOutcome>> OnRefundAsync(Tenant tenant, ChargeRefunded e, CancellationToken cancellationToken)
    {
        var userId = UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return Unresolvable(e, "the charge's customer is not linked to a user");
        }

        // One record per cumulative refunded amount, so partial refunds each leave a trace and repeats leave none.
        var refund = new PaymentRecord(tenant.Id, userId.Value, $"{e.ChargeId}_refund_{e.AmountRefunded}", null, new Money(e.AmountRefunded, e.Currency.ToUpperInvariant()), "refunded", e.Created);
        await billing.RecordPaymentAsync(refund, cancellationToken);
        return WebhookOutcome.Applied;
    }

    private async Task ChangePlanAsync(Tenant tenant, UserId userId, Plan plan, DateTimeOffset anchor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await quotas.ChangePlanAsync(tenant.Id, userId, plan.Id, plan.Allowance, anchor, now, cancellationToken))
        {
            // Paid before ever using the extension: open the account directly on the paid plan.
            await quotas.CreateIfMissingAsync(QuotaAccount.Open(tenant.Id, userId, plan.Id, plan.Allowance, anchor, now), cancellationToken);
            await quotas.ChangePlanAsync(tenant.Id, userId, plan.Id, plan.Allowance, anchor, now, cancellationToken);
        }
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
}
