using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// Cancels the subscription behind the user's current plan at the end of its period: the provider is told, and
/// Stripe's own event later records it. A lifetime purchase is refused before the provider is called.
/// </summary>
public sealed class CancelSubscription(IPaymentGateway gateway, IBillingStore billing)
{
    public async Task<Result<Subscription>> HandleAsync(Tenant tenant, UserId userId, CancellationToken cancellationToken)
    {
        var subscription = await CheckoutRules.CurrentAsync(billing, tenant, userId, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("no_subscription", "The user has no active subscription.");
        }

        var cancelled = subscription.CancelAtEndOfPeriod();
        if (!cancelled.IsSuccess)
        {
            return cancelled;
        }

        var told = await gateway.CancelAtPeriodEndAsync(tenant.Id, subscription.StripeSubscriptionId, CheckoutRules.Key("cancel", tenant.Id.Value, subscription.StripeSubscriptionId), cancellationToken);
        return told.IsSuccess ? cancelled : told.Error!;
    }
}
