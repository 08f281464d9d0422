using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// Turns Stripe events into state, each event touching only the subscription it names. Every event is checked whole
/// before the first write (an event that cannot be applied writes nothing); the writes are idempotent and ordered so
/// that a retry completes them (customer link, then payment or the subscription's own state, then the user's plan,
/// derived from all their subscriptions by <see cref="UserPlanSync"/>); the event id is remembered only after all of
/// them, so a failure midway lets Stripe's retry finish the work. This class is the dispatcher (repeats, other tenants'
/// events, remembering the event); each event type is applied by its own use case.
/// </summary>
public sealed class StripeEventHandler(
    IBillingStore billing,
    ApplyCheckoutCompleted checkoutCompleted,
    ApplySubscriptionChanged subscriptionChanged,
    ApplyInvoice invoice,
    ApplyChargeRefunded chargeRefunded,
    Wallets.ApplyWalletPayment walletPayment,
    Marketplace.ApplyMarketplacePurchase marketplacePurchase,
    TimeProvider time)
{
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
                // A delayed payment method that failed: nothing was paid, so nothing is credited or started (its
                // checkout.session.completed, unpaid, was ignored too).
                CheckoutCompleted { EventType: CheckoutCompleted.AsyncPaymentFailed } => WebhookOutcome.Ignored,

                // Wallet top-ups and item purchases name themselves in their metadata (session and charge); everything else is a plan's.
                CheckoutCompleted e when Wallets.WalletPayments.IsWalletPayment(e.Metadata) => await walletPayment.HandleAsync(tenant, e, cancellationToken),
                ChargeRefunded e when Wallets.WalletPayments.IsWalletPayment(e.Metadata) => await walletPayment.HandleAsync(tenant, e, cancellationToken),
                CheckoutCompleted e when Marketplace.MarketplacePayments.IsPurchase(e.Metadata) => await marketplacePurchase.HandleAsync(tenant, e, cancellationToken),
                ChargeRefunded e when Marketplace.MarketplacePayments.IsPurchase(e.Metadata) => await marketplacePurchase.HandleAsync(tenant, e, cancellationToken),
                CheckoutCompleted e => await checkoutCompleted.HandleAsync(tenant, e, cancellationToken),
                SubscriptionChanged e => await subscriptionChanged.HandleAsync(tenant, e, cancellationToken),
                InvoiceEvent e => await invoice.HandleAsync(tenant, e, cancellationToken),
                ChargeRefunded e => await chargeRefunded.HandleAsync(tenant, e, cancellationToken),
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
}
