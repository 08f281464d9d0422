using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary><c>charge.refunded</c>: one payment record per cumulative refunded amount of the charge.</summary>
public sealed class ApplyChargeRefunded(IBillingStore billing)
{
    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, ChargeRefunded e, CancellationToken cancellationToken)
    {
        if (e.AmountRefunded.MinorUnits == 0)
        {
            return WebhookOutcome.Ignored;
        }

        var userId = StripeEventRules.UserOf(e.Metadata, null) ?? (e.CustomerId is null ? null : await billing.FindUserByCustomerAsync(tenant.Id, e.CustomerId, cancellationToken));
        if (userId is null)
        {
            // A charge with neither our metadata nor a customer was not made by this backend.
            return e.CustomerId is null ? WebhookOutcome.Ignored : StripeEventRules.Unresolvable(e, "the charge's customer is not linked to a user");
        }

        // One record per cumulative refunded amount, so partial refunds each leave a trace and repeats leave none.
        var refund = new PaymentRecord(tenant.Id, userId.Value, $"{e.ChargeId}_refund_{e.AmountRefunded.MinorUnits}", null, e.AmountRefunded, "refunded", e.Created);
        await billing.RecordPaymentAsync(refund, cancellationToken);
        return WebhookOutcome.Applied;
    }
}
