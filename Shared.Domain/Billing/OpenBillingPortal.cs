using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// A billing-portal session for the customer behind the user's current plan (else the user's linked customer), returning
/// to a URL on the tenant's own hosts. A user who never paid has no portal.
/// </summary>
public sealed class OpenBillingPortal(IPaymentGateway gateway, IBillingStore billing, TimeProvider time)
{
    public async Task<Result<string>> HandleAsync(Tenant tenant, UserId userId, string? returnUrl, CancellationToken cancellationToken)
    {
        var target = returnUrl ?? tenant.CheckoutSuccessUrl;
        var fields = new FieldErrors();
        CheckoutRules.CheckRedirect(tenant, "return_url", target, fields);
        if (fields.Any)
        {
            return fields.ToError();
        }

        // The portal of the customer behind the current plan (Stripe's portal lists all of that customer's subscriptions).
        var customer = (await CheckoutRules.CurrentAsync(billing, tenant, userId, cancellationToken))?.StripeCustomerId ?? await billing.FindCustomerAsync(tenant.Id, userId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("no_billing_account", "The user has never paid; there is no billing portal to open.");
        }

        // A double click within the same minute gets the same portal session; a later visit a fresh one (sessions expire).
        var key = CheckoutRules.Key("portal", tenant.Id.Value, userId.Value, customer, target, time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        return await gateway.CreatePortalSessionAsync(tenant.Id, customer, target, key, cancellationToken);
    }
}
