using System.Collections.Concurrent;
using System.Web;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Stripe;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// Every Stripe call we make, through Stripe.net, against a local server that records each request and answers in
/// Stripe's shapes: exact path, form body, idempotency key, the pinned Stripe-Version, the tenant's key; retries,
/// error mapping and the 401 key re-read.
/// </summary>
public sealed class StripeGatewayTests : IAsyncLifetime
{
    private static readonly TenantId Tenant = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801");
    private readonly CountingSecrets _secrets = new();
    private RecordingServer _server = null!;
    private StripeGateway _gateway = null!;

    private ConcurrentQueue<(int Status, string Body, string? RetryAfter)> Script => _server.Script;

    private ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    public async Task InitializeAsync()
    {
        _server = await RecordingServer.StartAsync(defaultStatus: 500);
        _gateway = new StripeGateway(new PlainHttpClients(), _secrets, new StripeOptions { BaseUrl = _server.BaseAddress.ToString(), MaxNetworkRetries = 2, TimeoutSeconds = 5 });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static CheckoutRequest Checkout() => new(Tenant, User, "cus_123", PlanId.Parse("pro"), BillingCycle.Yearly, "price_pro_y", "https://alpha.example/ok?a=1&b=2", "https://alpha.example/no", "key-abc");

    private static void AssertStripeRequest(RecordedRequest request, string method, string path, string idempotencyKey, string apiKey = "sk_test_alpha_1")
    {
        Assert.Equal((method, path), (request.Method, request.Path));
        Assert.Equal($"Bearer {apiKey}", request.Headers["Authorization"]);
        Assert.Equal(StripeApiVersion.Pinned, request.Headers["Stripe-Version"]);
        Assert.Equal(idempotencyKey, request.Headers["Idempotency-Key"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("X-Stripe-Client-Telemetry"));
    }

    /// <summary>The form body as (key, value) pairs in order, decoded: what Stripe reads.</summary>
    private static List<(string, string)> Form(string body) =>
        [.. body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(kv => (HttpUtility.UrlDecode(kv[0]), HttpUtility.UrlDecode(kv[1])))];

    [Fact]
    public void The_pinned_api_version_is_stripe_nets_own() => Assert.Equal(StripeApiVersion.Pinned, StripeApiVersion.OfLibrary);

    [Fact]
    public async Task A_customer_is_created_with_its_email_metadata_and_idempotency_key()
    {
        Script.Enqueue((200, """{"id":"cus_new","object":"customer"}""", null));
        Assert.True(EmailAddress.TryParse("a@b.com", out var email));

        var customer = await _gateway.CreateCustomerAsync(Tenant, User, email, "customer-key", default);

        Assert.Equal("cus_new", customer.Value);
        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/customers", "customer-key");
        Assert.Equal("email=a%40b.com&metadata[tenant_id]=alpha&metadata[user_id]=01a200ec-790f-7686-a2c9-be91690ee801", request.Body);
        Assert.Equal([("email", "a@b.com"), ("metadata[tenant_id]", "alpha"), ("metadata[user_id]", User.Value)], Form(request.Body));
    }

    [Fact]
    public async Task A_subscription_checkout_session_is_created_with_exact_form_encoding_and_headers()
    {
        Script.Enqueue((200, """{"id":"cs_test_1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_1"}""", null));

        var session = await _gateway.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.Equal(new CheckoutSession("cs_test_1", "https://checkout.stripe.com/c/pay/cs_test_1"), session.Value);
        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/checkout/sessions", "key-abc");
        Assert.Equal(
            "cancel_url=https%3A%2F%2Falpha.example%2Fno&" +
            "client_reference_id=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "customer=cus_123&" +
            "line_items[0][price]=price_pro_y&" +
            "line_items[0][quantity]=1&" +
            "metadata[tenant_id]=alpha&" +
            "metadata[user_id]=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "metadata[plan_id]=pro&" +
            "metadata[billing_cycle]=yearly&" +
            "mode=subscription&" +
            "subscription_data[metadata][tenant_id]=alpha&" +
            "subscription_data[metadata][user_id]=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "subscription_data[metadata][plan_id]=pro&" +
            "subscription_data[metadata][billing_cycle]=yearly&" +
            "success_url=https%3A%2F%2Falpha.example%2Fok%3Fa%3D1%26b%3D2",
            request.Body);
        var form = Form(request.Body);
        Assert.Contains(("mode", "subscription"), form);
        Assert.Contains(("customer", "cus_123"), form);
        Assert.Contains(("success_url", "https://alpha.example/ok?a=1&b=2"), form);
        Assert.Contains(("line_items[0][price]", "price_pro_y"), form);
        Assert.Contains(("subscription_data[metadata][user_id]", User.Value), form);
        Assert.DoesNotContain(form, f => f.Item1.StartsWith("payment_intent_data", StringComparison.Ordinal));
        Assert.DoesNotContain(form, f => f.Item1.StartsWith("allowed_payment_method_types", StringComparison.Ordinal)); // subscriptions keep the dashboard's methods
    }

    [Fact]
    public async Task A_lifetime_checkout_is_a_payment_mode_session_with_metadata_on_the_payment_intent()
    {
        Script.Enqueue((200, """{"id":"cs_test_2","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_2"}""", null));

        await _gateway.CreateCheckoutSessionAsync(Checkout() with { Cycle = BillingCycle.Lifetime, PriceId = "price_life", IdempotencyKey = "key-life" }, default);

        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/checkout/sessions", "key-life");
        Assert.Equal(
            "allowed_payment_method_types[0]=card&" +
            "cancel_url=https%3A%2F%2Falpha.example%2Fno&" +
            "client_reference_id=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "customer=cus_123&" +
            "line_items[0][price]=price_life&" +
            "line_items[0][quantity]=1&" +
            "metadata[tenant_id]=alpha&" +
            "metadata[user_id]=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "metadata[plan_id]=pro&" +
            "metadata[billing_cycle]=lifetime&" +
            "mode=payment&" +
            "payment_intent_data[metadata][tenant_id]=alpha&" +
            "payment_intent_data[metadata][user_id]=01a200ec-790f-7686-a2c9-be91690ee801&" +
            "payment_intent_data[metadata][plan_id]=pro&" +
            "payment_intent_data[metadata][billing_cycle]=lifetime&" +
            "success_url=https%3A%2F%2Falpha.example%2Fok%3Fa%3D1%26b%3D2",
            request.Body);
        var form = Form(request.Body);
        Assert.Contains(("mode", "payment"), form);
        Assert.Contains(("payment_intent_data[metadata][billing_cycle]", "lifetime"), form);
        Assert.DoesNotContain(form, f => f.Item1.StartsWith("subscription_data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_portal_session_names_the_customer_and_return_url_with_its_idempotency_key()
    {
        Script.Enqueue((200, """{"id":"bps_1","object":"billing_portal.session","url":"https://billing.stripe.com/p/session/bps_1"}""", null));

        var portal = await _gateway.CreatePortalSessionAsync(Tenant, "cus_1", "https://alpha.example/account", "portal-key", default);

        Assert.Equal("https://billing.stripe.com/p/session/bps_1", portal.Value);
        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/billing_portal/sessions", "portal-key");
        Assert.Equal("customer=cus_1&return_url=https%3A%2F%2Falpha.example%2Faccount", request.Body);
    }

    [Fact]
    public async Task Deleting_a_customer_sends_delete_to_its_path_and_an_unknown_customer_counts_as_deleted()
    {
        Script.Enqueue((200, """{"id":"cus_123","object":"customer","deleted":true}""", null));
        Script.Enqueue((404, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such customer: 'cus_gone'"}}""", null));

        var deleted = await _gateway.DeleteCustomerAsync(Tenant, "cus_123", default);
        var gone = await _gateway.DeleteCustomerAsync(Tenant, "cus_gone", default);

        Assert.True(deleted.Value);
        Assert.True(gone.Value); // deleted by an earlier attempt whose answer was lost
        Assert.Equal([("DELETE", "/v1/customers/cus_123"), ("DELETE", "/v1/customers/cus_gone")], Requests.Select(r => (r.Method, r.Path)));
        Assert.All(Requests, r => Assert.Equal(("Bearer sk_test_alpha_1", StripeApiVersion.Pinned), (r.Headers["Authorization"], r.Headers["Stripe-Version"])));
    }

    [Fact]
    public async Task Cancelling_updates_the_subscription_to_end_at_period_end()
    {
        Script.Enqueue((200, """{"id":"sub_1","object":"subscription","cancel_at_period_end":true}""", null));

        var cancelled = await _gateway.CancelAtPeriodEndAsync(Tenant, "sub_1", "cancel-key", default);

        Assert.True(cancelled.Value);
        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/subscriptions/sub_1", "cancel-key");
        Assert.Equal("cancel_at_period_end=true", request.Body);
    }

    [Fact]
    public async Task A_cancel_after_a_renewal_sends_a_new_idempotency_key_and_a_retried_cancel_the_same_one()
    {
        await using var store = await StoreSet.SqliteAsync();
        var billing = store.Get<IBillingStore>();
        var cancel = new CancelSubscription(_gateway, billing);
        var pro = new Shared.Domain.Tenants.Plan(PlanId.Parse("pro"), "Pro", Shared.Domain.Quotas.Allowance.PerMonth(1000), new Money(999, "USD"), new Money(9999, "USD"), []);
        var free = new Shared.Domain.Tenants.Plan(PlanId.Parse("free"), "Free", Shared.Domain.Quotas.Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true);
        var tenant = new Shared.Domain.Tenants.Tenant(Tenant, "Alpha", [free, pro], "https://alpha.example/u?{link_token}");
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var subscription = Subscription.StartedByCheckout(Tenant, User, "sub_1", "cus_1", pro.Id, BillingCycle.Monthly, start);
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(subscription, default));
        for (var i = 0; i < 3; i++)
        {
            Script.Enqueue((200, """{"id":"sub_1","object":"subscription","cancel_at_period_end":true}""", null));
        }

        Assert.True((await cancel.HandleAsync(tenant, User, default)).Value.CancelAtPeriodEnd);
        Assert.True((await cancel.HandleAsync(tenant, User, default)).IsSuccess); // the client retried: nothing changed meanwhile

        // Stripe's events: the cancel, then the subscriber renewing in the portal (cancel_at_period_end back to false).
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(subscription with { CancelAtPeriodEnd = true, StripeUpdatedAt = start.AddHours(1) }, default));
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(subscription with { CancelAtPeriodEnd = false, StripeUpdatedAt = start.AddHours(2) }, default));
        Assert.True((await cancel.HandleAsync(tenant, User, default)).IsSuccess);

        var keys = Requests.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(3, keys.Count);
        Assert.All(Requests, r => Assert.Equal(("/v1/subscriptions/sub_1", "cancel_at_period_end=true"), (r.Path, r.Body)));
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
    }

    [Theory]
    [InlineData("pi_123", 500L, "amount=500&payment_intent=pi_123")]
    [InlineData("ch_123", null, "charge=ch_123")]
    public async Task A_refund_names_the_payment_and_the_amount_with_its_idempotency_key(string paymentId, long? amount, string body)
    {
        Script.Enqueue((200, """{"id":"re_1","object":"refund"}""", null));

        var refund = await _gateway.RefundAsync(new RefundRequest(Tenant, paymentId, amount, "refund-key"), default);

        Assert.Equal("re_1", refund.Value);
        var request = Assert.Single(Requests);
        AssertStripeRequest(request, "POST", "/v1/refunds", "refund-key");
        Assert.Equal(body, request.Body);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_the_same_idempotency_key_then_reported_as_unavailable()
    {
        for (var i = 0; i < 3; i++)
        {
            Script.Enqueue((500, """{"error":{"type":"api_error","message":"boom"}}""", null));
        }

        var result = await _gateway.CancelAtPeriodEndAsync(Tenant, "sub_1", "cancel-key", default);

        Assert.Equal(("payment_provider_unavailable", ErrorKind.Unavailable), (result.Error!.Code, result.Error.Kind));
        Assert.Equal(3, Requests.Count); // the first attempt and Stripe.net's 2 retries
        Assert.All(Requests, r => Assert.Equal(("/v1/subscriptions/sub_1", "cancel_at_period_end=true", "cancel-key"), (r.Path, r.Body, r.Headers["Idempotency-Key"])));
    }

    [Fact]
    public async Task A_conflict_is_retried_and_then_succeeds()
    {
        Script.Enqueue((409, """{"error":{"type":"idempotency_error","message":"in progress"}}""", null));
        Script.Enqueue((200, """{"id":"cus_after_conflict","object":"customer"}""", null));

        var customer = await _gateway.CreateCustomerAsync(Tenant, User, null, "k", default);

        Assert.Equal("cus_after_conflict", customer.Value);
        Assert.Equal(2, Requests.Count);
    }

    [Fact]
    public async Task A_card_error_is_a_402_problem_and_is_not_retried()
    {
        Script.Enqueue((402, """{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}""", null));

        var result = await _gateway.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.Equal((ErrorKind.PaymentRequired, "card_declined", "Your card was declined."), (result.Error!.Kind, result.Error.Code, result.Error.Detail));
        Assert.Single(Requests);
    }

    [Fact]
    public async Task An_invalid_request_is_a_400_problem_naming_stripes_reason()
    {
        Script.Enqueue((400, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such price: 'price_x'"}}""", null));

        var result = await _gateway.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.Equal((ErrorKind.Validation, "payment_request_rejected"), (result.Error!.Kind, result.Error.Code));
        Assert.Contains("resource_missing", result.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_is_reported_as_unavailable()
    {
        Script.Enqueue((429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests"}}""", null));

        var result = await _gateway.CreateCustomerAsync(Tenant, User, null, "k", default);

        Assert.Equal("payment_provider_unavailable", result.Error!.Code);
    }

    [Fact]
    public async Task A_401_re_reads_the_rotated_key_once()
    {
        Script.Enqueue((401, """{"error":{"type":"invalid_request_error","message":"Invalid API Key"}}""", null));
        Script.Enqueue((200, """{"id":"cus_after_rotation","object":"customer"}""", null));

        var customer = await _gateway.CreateCustomerAsync(Tenant, User, null, "k", default);

        Assert.Equal("cus_after_rotation", customer.Value);
        Assert.Equal(["Bearer sk_test_alpha_1", "Bearer sk_test_alpha_2"], Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_tenant_without_a_stripe_key_is_not_configured_rather_than_an_error()
    {
        var result = await _gateway.CreateCustomerAsync(TenantId.Parse("beta"), User, null, "k", default);

        Assert.Equal(("payment_provider_not_configured", ErrorKind.Unavailable), (result.Error!.Code, result.Error.Kind));
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task An_unreachable_provider_is_reported_as_unavailable()
    {
        var gateway = new StripeGateway(new PlainHttpClients(), _secrets, new StripeOptions { BaseUrl = "http://127.0.0.1:9", MaxNetworkRetries = 0, TimeoutSeconds = 2 });

        var result = await gateway.CreatePortalSessionAsync(Tenant, "cus_1", "https://alpha.example/", "k", default);

        Assert.Equal(("payment_provider_unavailable", ErrorKind.Unavailable), (result.Error!.Code, result.Error.Kind));
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Each read after an invalidation sees a new key, as after a rotation in Key Vault.</summary>
    private sealed class CountingSecrets : ISecretProvider
    {
        private int _version = 1;

        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == SecretNames.StripeSecretKey("alpha") ? $"sk_test_alpha_{_version}" : throw new SecretNotFoundException(name));

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

        public void Invalidate(string name) => _version++;
    }
}
