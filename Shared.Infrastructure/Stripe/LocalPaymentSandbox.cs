using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Stripe;

public sealed class SandboxOptions
{
    /// <summary>The app's own address, for the sandbox pages' links and for delivering events to its webhook.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:7071";
}

/// <summary>Delivers a signed webhook body to the app's own webhook endpoint.</summary>
public interface ISandboxWebhookTransport
{
    Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature, CancellationToken cancellationToken);
}

public sealed class HttpSandboxTransport(HttpClient http) : ISandboxWebhookTransport
{
    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(StripeSignature.Header, signature);
        return await http.SendAsync(request, cancellationToken);
    }
}

public sealed record SandboxSession(CheckoutRequest Request, Plan Plan, Money Price, string TenantName);

public sealed record SandboxSubscription(TenantId TenantId, UserId UserId, string CustomerId, string SubscriptionId, string PriceId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);

/// <summary>
/// The LOCAL PAYMENT SANDBOX: the embedded stand-in for Stripe when no Stripe account is configured (refused in
/// Production). Checkout sessions are pages of this app; paying sends the events Stripe would send
/// (checkout.session.completed, customer.subscription.created, invoice.paid), signed with the tenant's webhook
/// secret, to the app's own webhook endpoint, so the upgrade runs through the real webhook path. Sessions and
/// subscriptions it has started are kept in memory only (a restart forgets unpaid sessions).
/// </summary>
public sealed class LocalPaymentSandbox(ITenantDirectory tenants, ISecretProvider secrets, ISandboxWebhookTransport transport, SandboxOptions options, TimeProvider time) : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, SandboxSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxSubscription> _subscriptions = new(StringComparer.Ordinal);

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
        return new CheckoutSession(id, $"{options.BaseUrl.TrimEnd('/')}/api/sandbox/checkout/{id}");
    }

    public Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult<Result<string>>($"{options.BaseUrl.TrimEnd('/')}/api/sandbox/portal/{Uri.EscapeDataString(customerId)}?tenant={tenantId.Value}&return_url={Uri.EscapeDataString(returnUrl)}");

    public async Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryGetValue(subscriptionId, out var s) || s.TenantId != tenantId)
        {
            return Error.NotFound("sandbox_subscription_unknown", "The sandbox does not know this subscription (it keeps them in memory only).");
        }

        var delivered = await DeliverAsync(tenantId, SubscriptionEvent("customer.subscription.updated", s, cancelAtPeriodEnd: true), cancellationToken);
        return delivered.IsSuccess ? true : delivered.Error!;
    }

    public SandboxSession? FindSession(string id) => _sessions.GetValueOrDefault(id);

    public SandboxSubscription? FindSubscriptionByCustomer(string customerId) => _subscriptions.Values.FirstOrDefault(s => s.CustomerId == customerId);

    /// <summary>The Pay button: what Stripe does when a customer pays a subscription checkout.</summary>
    public async Task<Result<string>> PayAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!_sessions.TryRemove(sessionId, out var session))
        {
            return Error.NotFound("sandbox_session_unknown", "No such open sandbox checkout session.");
        }

        var r = session.Request;
        var now = time.GetUtcNow();
        if (r.Cycle == BillingCycle.Lifetime)
        {
            var oneTime = Event("checkout.session.completed", now, new Dictionary<string, object?>
            {
                ["id"] = sessionId,
                ["object"] = "checkout.session",
                ["mode"] = "payment",
                ["customer"] = r.CustomerId,
                ["client_reference_id"] = r.UserId.Value,
                ["payment_status"] = "paid",
                ["amount_total"] = session.Price.MinorUnits,
                ["currency"] = session.Price.Currency.ToLowerInvariant(),
                ["metadata"] = Metadata(r),
            });
            var delivered = await DeliverAsync(r.TenantId, oneTime, cancellationToken);
            if (!delivered.IsSuccess)
            {
                _sessions.TryAdd(sessionId, session);
                return delivered.Error!;
            }

            return r.SuccessUrl;
        }

        var end = r.Cycle == BillingCycle.Monthly ? now.AddMonths(1) : now.AddYears(1);
        var subscription = new SandboxSubscription(r.TenantId, r.UserId, r.CustomerId, "sub_sandbox_" + Short(sessionId), r.PriceId, now, end);
        _subscriptions[subscription.SubscriptionId] = subscription;
        var metadata = Metadata(r);
        var events = new[]
        {
            Event("checkout.session.completed", now, new Dictionary<string, object?>
            {
                ["id"] = sessionId, ["object"] = "checkout.session", ["mode"] = "subscription", ["customer"] = r.CustomerId,
                ["subscription"] = subscription.SubscriptionId, ["client_reference_id"] = r.UserId.Value, ["payment_status"] = "paid",
                ["amount_total"] = session.Price.MinorUnits, ["currency"] = session.Price.Currency.ToLowerInvariant(), ["metadata"] = metadata,
            }),
            SubscriptionEvent("customer.subscription.created", subscription, cancelAtPeriodEnd: false, metadata),
            Event("invoice.paid", now, new Dictionary<string, object?>
            {
                ["id"] = "in_sandbox_" + Short(sessionId), ["object"] = "invoice", ["customer"] = r.CustomerId, ["subscription"] = subscription.SubscriptionId,
                ["amount_paid"] = session.Price.MinorUnits, ["currency"] = session.Price.Currency.ToLowerInvariant(), ["status"] = "paid",
            }),
        };
        foreach (var body in events)
        {
            var delivered = await DeliverAsync(r.TenantId, body, cancellationToken);
            if (!delivered.IsSuccess)
            {
                _sessions.TryAdd(sessionId, session); // let the user press Pay again
                return delivered.Error!;
            }
        }

        return r.SuccessUrl;
    }

    /// <summary>The Cancel button: Stripe just sends the customer back.</summary>
    public Result<string> Abandon(string sessionId) =>
        _sessions.TryRemove(sessionId, out var session) ? session.Request.CancelUrl : Error.NotFound("sandbox_session_unknown", "No such open sandbox checkout session.");

    private byte[] SubscriptionEvent(string type, SandboxSubscription s, bool cancelAtPeriodEnd, Dictionary<string, string>? metadata = null) =>
        Event(type, time.GetUtcNow(), new Dictionary<string, object?>
        {
            ["id"] = s.SubscriptionId,
            ["object"] = "subscription",
            ["customer"] = s.CustomerId,
            ["status"] = "active",
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["billing_cycle_anchor"] = s.PeriodStart.ToUnixTimeSeconds(),
            ["current_period_start"] = s.PeriodStart.ToUnixTimeSeconds(),
            ["current_period_end"] = s.PeriodEnd.ToUnixTimeSeconds(),
            ["items"] = new { data = new[] { new { id = "si_" + s.SubscriptionId, price = new { id = s.PriceId } } } },
            ["metadata"] = metadata ?? new Dictionary<string, string> { ["tenant_id"] = s.TenantId.Value, ["user_id"] = s.UserId.Value },
        });

    private async Task<Result<bool>> DeliverAsync(TenantId tenantId, byte[] body, CancellationToken cancellationToken)
    {
        var secret = await secrets.FindAsync(SecretNames.StripeWebhookSecret(tenantId.Value), cancellationToken);
        if (secret is null)
        {
            return new Error(ErrorKind.Unavailable, "webhook_not_configured", $"Set the secret {SecretNames.StripeWebhookSecret(tenantId.Value)} so the sandbox can sign its events.");
        }

        using var response = await transport.PostAsync($"/api/v1/webhooks/stripe/{tenantId.Value}", body, StripeSignature.Sign(body, secret, time.GetUtcNow()), cancellationToken);
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

    private static byte[] Event(string type, DateTimeOffset created, object dataObject) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["id"] = "evt_sandbox_" + Guid.NewGuid().ToString("N"),
            ["object"] = "event",
            ["api_version"] = StripeApi.Version,
            ["created"] = created.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = type,
            ["data"] = new { @object = dataObject },
        });

    private static string Short(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 12);
}
