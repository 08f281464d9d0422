using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// <c>invoice.paid/payment_succeeded/payment_failed</c>: a paid invoice records the payment and reactivates a past-due or
/// suspended subscription; a failed one marks it past due with a grace period. Then the user's plan is synced.
/// </summary>
public sealed class ApplyInvoice(IBillingStore billing, UserPlanSync plans, BillingOptions options)
{
    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, InvoiceEvent e, CancellationToken cancellationToken)
    {
        var userId = StripeEventRules.UserOf(e.Metadata, null) ?? await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken);
        if (userId is null)
        {
            return StripeEventRules.Unresolvable(e, "the invoice's customer is not linked to a user yet");
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
                await billing.SaveSubscriptionIfNewerAsync(stored.Reactivate(e.Created), cancellationToken);
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

        var saved = await billing.SaveSubscriptionIfNewerAsync(stored.MarkPastDue(options.GracePeriod, e.Created), cancellationToken);
        await plans.SyncAsync(tenant, userId.Value, e.Created, null, cancellationToken);
        return saved ? WebhookOutcome.Applied : WebhookOutcome.Ignored;
    }
}
