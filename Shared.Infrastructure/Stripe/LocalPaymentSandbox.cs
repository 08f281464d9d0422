using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Shared.Infrastructure.Secrets;
using Stripe;
using Stripe.Checkout;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// The LOCAL PAYMENT SANDBOX: the embedded stand-in for Stripe when no Stripe account is configured (refused in
/// Production). Checkout sessions and the billing portal are pages of this app; paying, cancelling in the portal and
/// refunding send the events Stripe would send, built from Stripe.net's own model classes in Stripe.net's API version
/// (so Stripe.net reads them unchanged), signed with the tenant's webhook secret by Stripe.net's signer, to the app's
/// own webhook endpoint: the upgrade runs through the real webhook path. Sessions, subscriptions, portal sessions and
/// charges it has made are kept in memory only (a restart forgets them; stored subscriptions are unaffected).
/// </summary>
public sealed class LocalPaymentSandbox(ITenantDirectory tenants, ISecretProvider secrets, ISandboxWebhookTransport transport, SandboxOptions options, TimeProvider time) : IPaymentGateway, IPaymentCheckoutGateway
{
    /// <summary>How long a portal link works (Stripe's are short-lived too).</summary>
    public static readonly TimeSpan PortalLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, SandboxSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxPortalSession> _portals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxCharge> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxPayment> _payments = new(StringComparer.Ordinal);

    /// <summary>Idempotency keys already answered (as Stripe does for 24 h), with their answer.</summary>
    private readonly ConcurrentDictionary<string, string> _answered = new(StringComparer.Ordinal);

    private string Base => options.BaseUrl.TrimEnd('/');

    public Task<Result<string>> CreateCustomerAsync(TenantId tenantId, UserId userId, EmailAddress? email, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<Result<string>>("cus_sandbox_" + Short(idempotencyKey));

    public async Task<Result<CheckoutSession>> CreateCheckoutSessionAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(request.TenantId, cancellationToken);
        var plan = tenant?.FindPlan(request.PlanId);
        if (tenant is null || plan is null)
        {
            return Error.NotFound("plan_not_found", "No such plan in this tenant.");
        }

        var id = "cs_sandbox_" + Short(request.IdempotencyKey);
        _sessions.TryAdd(id, new SandboxSession(request, plan, plan.PriceFor(request.Cycle), tenant.Name));
        return new CheckoutSession(id, $"{Base}/api/sandbox/checkout/{id}");
    }

    public async Task<Result<CheckoutSession>> CreatePaymentCheckoutAsync(PaymentCheckoutRequest request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(request.TenantId, cancellationToken);
        if (tenant is null)
        {
            return Error.NotFound("tenant_not_found", "No such tenant.");
        }

        var id = "cs_sandbox_" + Short(request.IdempotencyKey);
        _payments.TryAdd(id, new SandboxPayment(request, tenant.Name));
        return new CheckoutSession(id, $"{Base}/api/sandbox/checkout/{id}");
    }

    public SandboxPayment? FindPayment(string id) => _payments.GetValueOrDefault(id);

    public Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, string idempotencyKey, CancellationToken cancellationToken)
    {
        // An unguessable id per session, as Stripe's: the link is the only credential the portal page asks for.
        var id = _answered.GetOrAdd("portal:" + idempotencyKey, _ => "bps_sandbox_" + RandomNumberGenerator.GetHexString(32, lowercase: true));
        _portals.TryAdd(id, new SandboxPortalSession(id, tenantId, customerId, returnUrl, time.GetUtcNow() + PortalLifetime));
        return Task.FromResult<Result<string>>($"{Base}/api/sandbox/portal/{id}");
    }

    /// <summary>
    /// Forgets the customer as Stripe does on deletion: its subscriptions end at once and its charges are no longer
    /// listed (the sandbox keeps nothing else about a customer). Unknown or already deleted customers count as deleted.
    /// </summary>
    public Task<Result<bool>> DeleteCustomerAsync(TenantId tenantId, string customerId, CancellationToken cancellationToken)
    {
        foreach (var (id, s) in _subscriptions)
        {
            if (s.TenantId == tenantId && s.CustomerId == customerId)
            {
                _subscriptions.TryRemove(id, out _);
            }
        }

        foreach (var (id, c) in _charges)
        {
            if (c.TenantId == tenantId && c.CustomerId == customerId)
            {
                _charges.TryRemove(id, out _);
            }
        }

        return Task.FromResult<Result<bool>>(true);
    }

    public async Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryGetValue(subscriptionId, out var s) || s.TenantId != tenantId)
        {
            return Error.NotFound("sandbox_subscription_unknown", "The sandbox does not know this subscription (it keeps them in memory only).");
        }

        if (_answered.ContainsKey("cancel:" + idempotencyKey))
        {
            return true; // Stripe answers a repeated key from its cache, without a second event
        }

        var cancelled = await CancelAsync(s, cancellationToken);
        if (cancelled.IsSuccess)
        {
            _answered.TryAdd("cancel:" + idempotencyKey, subscriptionId);
        }

        return cancelled;
    }

    public async Task<Result<string>> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (_answered.TryGetValue("refund:" + request.IdempotencyKey, out var earlier))
        {
            return earlier;
        }

        var charge = _charges.Values.FirstOrDefault(c => c.TenantId == request.TenantId && (c.ChargeId == request.PaymentId || c.PaymentIntentId == request.PaymentId));
        if (charge is null)
        {
            return Error.NotFound("sandbox_payment_unknown", "The sandbox took no such payment (it keeps them in memory only).");
        }

        var amount = request.AmountMinor ?? charge.Amount.MinorUnits - charge.Refunded;
        if (amount <= 0 || charge.Refunded + amount > charge.Amount.MinorUnits)
        {
            return new Error(ErrorKind.Validation, "payment_request_rejected", $"The payment provider rejected the request (amount_too_large): {charge.Amount.MinorUnits - charge.Refunded} left to refund.");
        }

        var refunded = charge with { Refunded = charge.Refunded + amount };
        var now = time.GetUtcNow();
        var delivered = await DeliverAsync(charge.TenantId, Event("charge.refunded", now, new Charge
        {
            Id = charge.ChargeId,
            Object = "charge",
            Amount = charge.Amount.MinorUnits,
            AmountCaptured = charge.Amount.MinorUnits,
            AmountRefunded = refunded.Refunded,
            Captured = true,
            Paid = true,
            Refunded = refunded.Refunded == charge.Amount.MinorUnits,
            Status = "succeeded",
            Currency = charge.Amount.Currency.ToLowerInvariant(),
            CustomerId = charge.CustomerId.Length == 0 ? null : charge.CustomerId,
            PaymentIntentId = charge.PaymentIntentId,
            Created = now.UtcDateTime,
            Metadata = charge.Metadata is { } own ? new(own) : new() { ["tenant_id"] = charge.TenantId.Value, ["user_id"] = charge.UserId.Value },
        }), cancellationToken);
        if (!delivered.IsSuccess)
        {
            return delivered.Error!;
        }

        _charges[charge.ChargeId] = refunded;
        return _answered.GetOrAdd("refund:" + request.IdempotencyKey, _ => "re_sandbox_" + RandomNumberGenerator.GetHexString(24, lowercase: true));
    }

    public SandboxSession? FindSession(string id) => _sessions.GetValueOrDefault(id);

    /// <summary>The payment intent a paid checkout session charged (what an admin refunds), or null before it is paid.</summary>
    public string? PaymentIntentOf(string sessionId) =>
        _charges.TryGetValue("ch_sandbox_" + Short(sessionId), out var charge) ? charge.PaymentIntentId : null;

    /// <summary>A portal session that has not expired.</summary>
    public SandboxPortalSession? FindPortal(string id) =>
        _portals.TryGetValue(id, out var portal) && portal.ExpiresAt > time.GetUtcNow() ? portal : null;

    /// <summary>The subscriptions the sandbox started for a customer, as its portal shows them.</summary>
    public IReadOnlyList<SandboxSubscription> SubscriptionsOf(TenantId tenantId, string customerId) =>
        [.. _subscriptions.Values.Where(s => s.TenantId == tenantId && s.CustomerId == customerId).OrderBy(s => s.SubscriptionId, StringComparer.Ordinal)];

    /// <summary>The portal's Cancel button: cancel at period end, as Stripe's portal does, and tell the webhook.</summary>
    public async Task<Result<bool>> CancelFromPortalAsync(string portalId, string subscriptionId, CancellationToken cancellationToken)
    {
        if (FindPortal(portalId) is not { } portal)
        {
            return Error.NotFound("sandbox_portal_unknown", "No such open sandbox portal session (they last an hour).");
        }

        if (!_subscriptions.TryGetValue(subscriptionId, out var s) || s.TenantId != portal.TenantId || s.CustomerId != portal.CustomerId)
        {
            return Error.NotFound("sandbox_subscription_unknown", "This portal session has no such subscription.");
        }

        return s.CancelAtPeriodEnd ? true : await CancelAsync(s, cancellationToken);
    }

    /// <summary>The Pay button: what Stripe does when a customer pays a checkout.</summary>
    public async Task<Result<string>> PayAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_payments.TryRemove(sessionId, out var payment))
        {
            return await PayPaymentAsync(sessionId, payment, cancellationToken);
        }

        if (!_sessions.TryRemove(sessionId, out var session))
        {
            return Error.NotFound("sandbox_session_unknown", "No such open sandbox checkout session.");
        }

        var r = session.Request;
        var now = time.GetUtcNow();
        var charge = new SandboxCharge(r.TenantId, r.UserId, r.CustomerId, "ch_sandbox_" + Short(sessionId), "pi_sandbox_" + Short(sessionId), session.Price, 0);
        var checkout = new Session
        {
            Id = sessionId,
            Object = "checkout.session",
            Mode = r.Cycle == BillingCycle.Lifetime ? "payment" : "subscription",
            Status = "complete",
            PaymentStatus = "paid",
            CustomerId = r.CustomerId,
            ClientReferenceId = r.UserId.Value,
            AmountSubtotal = session.Price.MinorUnits,
            AmountTotal = session.Price.MinorUnits,
            Currency = session.Price.Currency.ToLowerInvariant(),
            SuccessUrl = r.SuccessUrl,
            CancelUrl = r.CancelUrl,
            Created = now.UtcDateTime,
            ExpiresAt = now.AddHours(24).UtcDateTime,
            Livemode = false,
            Metadata = Metadata(r),
        };
        List<string> events;
        SandboxSubscription? subscription = null;
        if (r.Cycle == BillingCycle.Lifetime)
        {
            checkout.PaymentIntentId = charge.PaymentIntentId;
            events = [Event("checkout.session.completed", now, checkout)];
        }
        else
        {
            var end = r.Cycle == BillingCycle.Monthly ? now.AddMonths(1) : now.AddYears(1);
            subscription = new SandboxSubscription(r.TenantId, r.UserId, r.CustomerId, "sub_sandbox_" + Short(sessionId), r.PriceId, r.PlanId, now, end, false);
            checkout.SubscriptionId = subscription.SubscriptionId;

            // Stripe's order: the subscription, the paid first invoice, then the completed checkout (delivery order is not guaranteed).
            events =
            [
                Event("customer.subscription.created", now, ToStripe(subscription, session.Price)),
                Event("invoice.paid", now, new Invoice
                {
                    Id = "in_sandbox_" + Short(sessionId),
                    Object = "invoice",
                    CustomerId = r.CustomerId,
                    AmountDue = session.Price.MinorUnits,
                    AmountPaid = session.Price.MinorUnits,
                    Total = session.Price.MinorUnits,
                    Subtotal = session.Price.MinorUnits,
                    Currency = session.Price.Currency.ToLowerInvariant(),
                    Status = "paid",
                    BillingReason = "subscription_create",
                    Created = now.UtcDateTime,
                    PeriodStart = now.UtcDateTime,
                    PeriodEnd = now.UtcDateTime,
                    Parent = new InvoiceParent
                    {
                        Type = "subscription_details",
                        SubscriptionDetails = new InvoiceParentSubscriptionDetails { SubscriptionId = subscription.SubscriptionId, Metadata = Metadata(r) },
                    },
                }),
                Event("checkout.session.completed", now, checkout),
            ];
        }

        foreach (var body in events)
        {
            var delivered = await DeliverAsync(r.TenantId, body, cancellationToken);
            if (!delivered.IsSuccess)
            {
                _sessions.TryAdd(sessionId, session); // let the user press Pay again
                return delivered.Error!;
            }
        }

        if (subscription is not null)
        {
            _subscriptions[subscription.SubscriptionId] = subscription;
        }

        _charges[charge.ChargeId] = charge;
        return r.SuccessUrl;
    }

    /// <summary>The Cancel button: Stripe just sends the customer back.</summary>
    public Result<string> Abandon(string sessionId) =>
        _sessions.TryRemove(sessionId, out var session) ? session.Request.CancelUrl
        : _payments.TryRemove(sessionId, out var payment) ? payment.Request.CancelUrl
        : Error.NotFound("sandbox_session_unknown", "No such open sandbox checkout session.");

    /// <summary>Paying a payment-mode checkout: one checkout.session.completed (mode payment) carrying the request's metadata.</summary>
    private async Task<Result<string>> PayPaymentAsync(string sessionId, SandboxPayment payment, CancellationToken cancellationToken)
    {
        var r = payment.Request;
        var now = time.GetUtcNow();
        var total = r.Total;
        var charge = new SandboxCharge(r.TenantId, r.UserId, r.CustomerId ?? "", "ch_sandbox_" + Short(sessionId), "pi_sandbox_" + Short(sessionId), total, 0, r.Metadata);
        var checkout = new Session
        {
            Id = sessionId,
            Object = "checkout.session",
            Mode = "payment",
            Status = "complete",
            PaymentStatus = "paid",
            CustomerId = r.CustomerId,
            ClientReferenceId = r.UserId.Value,
            AmountSubtotal = total.MinorUnits,
            AmountTotal = total.MinorUnits,
            Currency = total.Currency.ToLowerInvariant(),
            SuccessUrl = r.SuccessUrl,
            CancelUrl = r.CancelUrl,
            Created = now.UtcDateTime,
            ExpiresAt = now.AddHours(24).UtcDateTime,
            Livemode = false,
            Metadata = new(r.Metadata),
            PaymentIntentId = charge.PaymentIntentId,
        };
        var delivered = await DeliverAsync(r.TenantId, Event("checkout.session.completed", now, checkout), cancellationToken);
        if (!delivered.IsSuccess)
        {
            _payments.TryAdd(sessionId, payment); // let the user press Pay again
            return delivered.Error!;
        }

        _charges[charge.ChargeId] = charge;
        return r.SuccessUrl;
    }

    private async Task<Result<bool>> CancelAsync(SandboxSubscription s, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(s.TenantId, cancellationToken);
        var price = tenant?.FindPlan(s.PlanId) is { } plan && tenant.FindByStripePrice(s.PriceId) is { } priced ? plan.PriceFor(priced.Cycle) : new Money(0, "USD");
        var cancelled = s with { CancelAtPeriodEnd = true };
        var delivered = await DeliverAsync(s.TenantId, Event("customer.subscription.updated", time.GetUtcNow(), ToStripe(cancelled, price)), cancellationToken);
        if (delivered.IsSuccess)
        {
            _subscriptions[s.SubscriptionId] = cancelled;
        }

        return delivered;
    }

    private static global::Stripe.Subscription ToStripe(SandboxSubscription s, Money price)
    {
        var currency = price.Currency.ToLowerInvariant();
        return new global::Stripe.Subscription
        {
            Id = s.SubscriptionId,
            Object = "subscription",
            CustomerId = s.CustomerId,
            Status = "active",
            CancelAtPeriodEnd = s.CancelAtPeriodEnd,
            CancelAt = s.CancelAtPeriodEnd ? s.PeriodEnd.UtcDateTime : null,
            BillingCycleAnchor = s.PeriodStart.UtcDateTime,
            Created = s.PeriodStart.UtcDateTime,
            StartDate = s.PeriodStart.UtcDateTime,
            CollectionMethod = "charge_automatically",
            Currency = currency,
            Livemode = false,
            Metadata = new() { ["tenant_id"] = s.TenantId.Value, ["user_id"] = s.UserId.Value, ["plan_id"] = s.PlanId.Value },
            Items = new StripeList<SubscriptionItem>
            {
                Object = "list",
                Url = $"/v1/subscription_items?subscription={s.SubscriptionId}",
                Data =
                [
                    new SubscriptionItem
                    {
                        Id = "si_" + s.SubscriptionId,
                        Object = "subscription_item",
                        Subscription = s.SubscriptionId,
                        Quantity = 1,
                        Created = s.PeriodStart.UtcDateTime,
                        CurrentPeriodStart = s.PeriodStart.UtcDateTime,
                        CurrentPeriodEnd = s.PeriodEnd.UtcDateTime,
                        BilledUntil = s.PeriodEnd.UtcDateTime,
                        Price = new Price { Id = s.PriceId, Object = "price", Active = true, Currency = currency, UnitAmount = price.MinorUnits, Type = "recurring", Created = s.PeriodStart.UtcDateTime },
                    },
                ],
            },
        };
    }

    private async Task<Result<bool>> DeliverAsync(TenantId tenantId, string json, CancellationToken cancellationToken)
    {
        var secret = await secrets.FindAsync(SecretNames.StripeWebhookSecret(tenantId.Value), cancellationToken);
        if (secret is null)
        {
            return new Error(ErrorKind.Unavailable, "webhook_not_configured", $"Set the secret {SecretNames.StripeWebhookSecret(tenantId.Value)} so the sandbox can sign its events.");
        }

        using var response = await transport.PostAsync($"/api/v1/webhooks/stripe/{tenantId.Value}", Encoding.UTF8.GetBytes(json), StripeWebhook.Sign(json, secret, time.GetUtcNow()), cancellationToken);
        return response.IsSuccessStatusCode
            ? true
            : new Error(ErrorKind.Unavailable, "sandbox_delivery_failed", $"The webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    private static Dictionary<string, string> Metadata(CheckoutRequest r) => new()
    {
        ["tenant_id"] = r.TenantId.Value,
        ["user_id"] = r.UserId.Value,
        ["plan_id"] = r.PlanId.Value,
        ["billing_cycle"] = BillingText.Format(r.Cycle),
    };

    /// <summary>An event as Stripe sends it, in Stripe.net's own API version and serialization.</summary>
    public static string Event(string type, DateTimeOffset created, IHasObject dataObject) =>
        new Event
        {
            Id = "evt_sandbox_" + RandomNumberGenerator.GetHexString(24, lowercase: true),
            Object = "event",
            ApiVersion = StripeConfiguration.ApiVersion,
            Created = created.UtcDateTime,
            Livemode = false,
            PendingWebhooks = 1,
            Type = type,
            Data = new EventData { Object = dataObject },
        }.ToJson();

    private static string Short(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 12);
}
