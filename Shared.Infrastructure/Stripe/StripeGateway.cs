using System.Collections.Concurrent;
using System.Net;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using Stripe;
using Stripe.Checkout;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// The payment gateway over Stripe.net (API version <see cref="StripeApiVersion.Pinned"/>): its services create
/// customers, Checkout sessions (subscription and payment mode) and billing portal sessions, cancel subscriptions at
/// period end and create refunds, each create with our idempotency key. Stripe.net does the form encoding, the
/// <c>Stripe-Version</c> header and the retries (<see cref="StripeOptions.MaxNetworkRetries"/>); its HTTP goes through
/// an HttpClient from IHttpClientFactory. Each tenant has its own secret key (from the secret provider) and one
/// StripeClient per key; a 401 drops that client, re-reads the key once (it may have been rotated) and tries again.
/// </summary>
public sealed class StripeGateway(IHttpClientFactory httpClients, ISecretProvider secrets, StripeOptions options) : IPaymentGateway, IPaymentCheckoutGateway
{
    public const string HttpClientName = "stripe";

    private readonly ConcurrentDictionary<string, StripeClient> _clients = new(StringComparer.Ordinal);

    public Task<Result<string>> CreateCustomerAsync(TenantId tenantId, UserId userId, EmailAddress? email, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(
            tenantId,
            async (client, token) => (await client.V1.Customers.CreateAsync(
                new CustomerCreateOptions
                {
                    Email = email?.Value,
                    Metadata = new() { ["tenant_id"] = tenantId.Value, ["user_id"] = userId.Value },
                },
                Idempotent(idempotencyKey),
                token)).Id,
            cancellationToken);

    public Task<Result<CheckoutSession>> CreateCheckoutSessionAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var lifetime = request.Cycle == BillingCycle.Lifetime;
        Dictionary<string, string> Metadata() => new()
        {
            ["tenant_id"] = request.TenantId.Value,
            ["user_id"] = request.UserId.Value,
            ["plan_id"] = request.PlanId.Value,
            ["billing_cycle"] = BillingText.Format(request.Cycle),
        };
        var create = new SessionCreateOptions
        {
            Mode = lifetime ? "payment" : "subscription",
            AllowedPaymentMethodTypes = lifetime ? ["card"] : null, // a one-time payment by card only, as top-ups (see below)
            Customer = request.CustomerId,
            ClientReferenceId = request.UserId.Value,
            LineItems = [new SessionLineItemOptions { Price = request.PriceId, Quantity = 1 }],
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            Metadata = Metadata(),

            // The subscription (or the one-time payment) carries the same metadata, so its own events name the user.
            SubscriptionData = lifetime ? null : new SessionSubscriptionDataOptions { Metadata = Metadata() },
            PaymentIntentData = lifetime ? new SessionPaymentIntentDataOptions { Metadata = Metadata() } : null,
        };
        return CallAsync(
            request.TenantId,
            async (client, token) =>
            {
                var session = await client.V1.Checkout.Sessions.CreateAsync(create, Idempotent(request.IdempotencyKey), token);
                return new CheckoutSession(session.Id, session.Url ?? throw new StripeException("The Checkout session has no url."));
            },
            cancellationToken);
    }

    /// <summary>A payment-mode session with one inline-priced line (price_data); the metadata goes on the session and its payment intent.</summary>
    public Task<Result<CheckoutSession>> CreatePaymentCheckoutAsync(PaymentCheckoutRequest request, CancellationToken cancellationToken)
    {
        var create = new SessionCreateOptions
        {
            Mode = "payment",

            // Cards only: a card payment is paid when the session completes, so a top-up is never waiting on a delayed
            // method (bank debits, vouchers) whatever the dashboard enables. Stripe.net 53's create options carry this as
            // allowed_payment_method_types (a filter on the eligible methods); payment_method_types is not among them.
            // checkout.session.async_payment_succeeded is handled as well, should a delayed method ever get through.
            AllowedPaymentMethodTypes = ["card"],
            Customer = request.CustomerId,
            ClientReferenceId = request.UserId.Value,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = request.UnitAmount.Currency.ToLowerInvariant(),
                        UnitAmount = request.UnitAmount.MinorUnits,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = request.ProductName },
                    },
                    Quantity = request.Quantity,
                },
            ],
            SuccessUrl = request.SuccessUrl,
            CancelUrl = request.CancelUrl,
            Metadata = new Dictionary<string, string>(request.Metadata),
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(request.Metadata) },
        };
        return CallAsync(
            request.TenantId,
            async (client, token) =>
            {
                var session = await client.V1.Checkout.Sessions.CreateAsync(create, Idempotent(request.IdempotencyKey), token);
                return new CheckoutSession(session.Id, session.Url ?? throw new StripeException("The Checkout session has no url."));
            },
            cancellationToken);
    }

    public Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(
            tenantId,
            async (client, token) => (await client.V1.BillingPortal.Sessions.CreateAsync(
                new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl },
                Idempotent(idempotencyKey),
                token)).Url ?? throw new StripeException("The portal session has no url."),
            cancellationToken);

    public Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(
            tenantId,
            async (client, token) => (await client.V1.Subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true }, Idempotent(idempotencyKey), token)).CancelAtPeriodEnd,
            cancellationToken);

    public Task<Result<bool>> DeleteCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken) =>
        CallAsync(
            tenantId,
            async (client, token) =>
            {
                try
                {
                    // DELETE is idempotent by nature at Stripe; no idempotency key is needed (or accepted) for it.
                    return (await client.V1.Customers.DeleteAsync(customerId, null, null, token)).Deleted ?? true;
                }
                catch (StripeException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
                {
                    return true; // deleted by an earlier attempt whose answer was lost, or never created there
                }
            },
            cancellationToken);

    public Task<Result<string>> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var byIntent = request.PaymentId.StartsWith("pi_", StringComparison.Ordinal);
        var create = new RefundCreateOptions { PaymentIntent = byIntent ? request.PaymentId : null, Charge = byIntent ? null : request.PaymentId, Amount = request.AmountMinor };
        return CallAsync(request.TenantId, async (client, token) => (await client.V1.Refunds.CreateAsync(create, Idempotent(request.IdempotencyKey), token)).Id, cancellationToken);
    }

    private static RequestOptions Idempotent(string key) => new() { IdempotencyKey = key };

    private async Task<Result<T>> CallAsync<T>(TenantId tenantId, Func<StripeClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var secretName = SecretNames.StripeSecretKey(tenantId.Value);
        for (var attempt = 0; ; attempt++)
        {
            string apiKey;
            try
            {
                apiKey = await secrets.GetAsync(secretName, cancellationToken);
            }
            catch (SecretNotFoundException)
            {
                return new Error(ErrorKind.Unavailable, "payment_provider_not_configured", $"The secret {secretName} is not configured.");
            }

            StripeClient client;
            try
            {
                client = ClientFor(apiKey);
            }
            catch (ArgumentException)
            {
                return new Error(ErrorKind.Unavailable, "payment_provider_not_configured", $"The secret {secretName} is not a usable Stripe key.");
            }

            try
            {
                return await call(client, cancellationToken);
            }
            catch (StripeException e) when (e.HttpStatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // The key may have been rotated in Key Vault: forget it and this client, read it again, try once more.
                _clients.TryRemove(apiKey, out _);
                secrets.Invalidate(secretName);
            }
            catch (StripeException e)
            {
                return ToError(e);
            }
            catch (Exception e) when (OutboundHttpFailures.IsUnreachable(e, cancellationToken))
            {
                return new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider could not be reached; try again shortly.");
            }
        }
    }

    private StripeClient ClientFor(string apiKey) =>
        _clients.GetOrAdd(apiKey, key => new StripeClient(new StripeClientOptions
        {
            ApiKey = key,
            ApiBase = options.BaseUrl.TrimEnd('/'),

            // Telemetry off: it would send timings of our earlier requests to Stripe in a header.
            HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
        }));

    private static Error ToError(StripeException e)
    {
        var message = e.StripeError?.Message ?? "The payment provider refused the request.";
        return ((int)e.HttpStatusCode, e.StripeError?.Type) switch
        {
            (402, _) or (_, "card_error") => new Error(ErrorKind.PaymentRequired, "card_declined", message),
            (429, _) or ( >= 500, _) or (0, _) => new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider is busy or failing; try again shortly."),
            (401 or 403, _) => new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider refused our credentials."),
            _ => new Error(ErrorKind.Validation, "payment_request_rejected", $"The payment provider rejected the request ({e.StripeError?.Code ?? e.StripeError?.Type ?? "unknown"}): {message}"),
        };
    }
}
