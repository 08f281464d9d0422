using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// Cancels the subscription behind the user's current plan at the end of its period: the provider is told, and
/// Stripe's own event later records it. A lifetime purchase is refused before the provider is called.
/// <para>
/// The idempotency key names the subscription's state as last stored (<see cref="Subscription.StripeUpdatedAt"/>, the
/// time of the Stripe event behind it): a retry of the same cancel reuses the key (Stripe answers it once), while a
/// cancel after the subscriber renewed in the portal (a newer event) gets a new key. With the subscription id alone,
/// Stripe would replay the first cancel's answer for 24 hours and cancel nothing.
/// </para>
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

        var told = await gateway.CancelAtPeriodEndAsync(tenant.Id, subscription.StripeSubscriptionId, CancelKey(subscription), cancellationToken);
        return told.IsSuccess ? cancelled : told.Error!;
    }

    private static string CancelKey(Subscription subscription) =>
        CheckoutRules.Key("cancel", subscription.TenantId.Value, subscription.StripeSubscriptionId, subscription.StripeUpdatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
