using System.Collections.Concurrent;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Stripe;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The Stripe client against a local server that records every request and answers as scripted.</summary>
public sealed class StripeClientTests : IAsyncLifetime, IDisposable
{
    private static readonly TenantId Tenant = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801");
    private readonly CountingSecrets _secrets = new();
    private RecordingServer _server = null!;
    private StripeClient _client = null!;
    private HttpClient _http = null!;

    private ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script => _server.Script;

    private ConcurrentQueue<RecordedRequest> _requests => _server.Requests;

    public async Task InitializeAsync()
    {
        _server = await RecordingServer.StartAsync(defaultStatus: 500);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        _client = new StripeClient(_http, _secrets, new StripeOptions { MaxRetries = 3, RetryDelayMilliseconds = 1, TimeoutSeconds = 5 });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private static CheckoutRequest Checkout() => new(Tenant, User, "cus_123", PlanId.Parse("pro"), BillingCycle.Yearly, "price_pro_y", "https://alpha.example/ok?a=1&b=2", "https://alpha.example/no", "key-abc");

    [Fact]
    public async Task A_checkout_session_is_created_with_exact_form_encoding_and_headers()
    {
        _script.Enqueue((200, """{"id":"cs_test_1","url":"https://checkout.stripe.com/c/pay/cs_test_1"}""", null));

        var session = await _client.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.True(session.IsSuccess);
        Assert.Equal(new CheckoutSession("cs_test_1", "https://checkout.stripe.com/c/pay/cs_test_1"), session.Value);
        var request = Assert.Single(_requests);
        Assert.Equal(("POST", "/v1/checkout/sessions"), (request.Method, request.Path));
        Assert.Equal("Bearer sk_test_alpha_1", request.Headers["Authorization"]);
        Assert.Equal(StripeApi.Version, request.Headers["Stripe-Version"]);
        Assert.Equal("key-abc", request.Headers["Idempotency-Key"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(
            "mode=subscription&customer=cus_123&client_reference_id=01a200ec-790f-7686-a2c9-be91690ee801" +
            "&line_items%5B0%5D%5Bprice%5D=price_pro_y&line_items%5B0%5D%5Bquantity%5D=1" +
            "&success_url=https%3A%2F%2Falpha.example%2Fok%3Fa%3D1%26b%3D2&cancel_url=https%3A%2F%2Falpha.example%2Fno" +
            "&metadata%5Btenant_id%5D=alpha&metadata%5Buser_id%5D=01a200ec-790f-7686-a2c9-be91690ee801&metadata%5Bplan_id%5D=pro&metadata%5Bbilling_cycle%5D=yearly" +
            "&subscription_data%5Bmetadata%5D%5Btenant_id%5D=alpha&subscription_data%5Bmetadata%5D%5Buser_id%5D=01a200ec-790f-7686-a2c9-be91690ee801" +
            "&subscription_data%5Bmetadata%5D%5Bplan_id%5D=pro&subscription_data%5Bmetadata%5D%5Bbilling_cycle%5D=yearly",
            request.Body);
    }

    [Fact]
    public async Task A_lifetime_checkout_is_a_payment_mode_session_with_metadata_on_the_payment_intent()
    {
        _script.Enqueue((200, """{"id":"cs_test_2","url":"https://checkout.stripe.com/c/pay/cs_test_2"}""", null));

        await _client.CreateCheckoutSessionAsync(Checkout() with { Cycle = BillingCycle.Lifetime, PriceId = "price_life" }, default);

        var body = Assert.Single(_requests).Body;
        Assert.StartsWith("mode=payment&", body, StringComparison.Ordinal);
        Assert.Contains("payment_intent_data%5Bmetadata%5D%5Bbilling_cycle%5D=lifetime", body, StringComparison.Ordinal);
        Assert.DoesNotContain("subscription_data", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_retried_with_the_same_idempotency_key()
    {
        _script.Enqueue((429, """{"error":{"type":"rate_limit_error","message":"Too many requests"}}""", "0"));
        _script.Enqueue((200, """{"id":"cus_new"}""", null));
        Assert.True(EmailAddress.TryParse("a@b.com", out var email));

        var customer = await _client.CreateCustomerAsync(Tenant, User, email, "customer-key", default);

        Assert.Equal("cus_new", customer.Value);
        Assert.Equal(2, _requests.Count);
        Assert.All(_requests, r => Assert.Equal("customer-key", r.Headers["Idempotency-Key"]));
        Assert.Equal("metadata%5Btenant_id%5D=alpha&metadata%5Buser_id%5D=01a200ec-790f-7686-a2c9-be91690ee801&email=a%40b.com", _requests.Last().Body);
    }

    [Fact]
    public async Task A_card_error_is_a_402_problem_and_is_not_retried()
    {
        _script.Enqueue((402, """{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}""", null));

        var result = await _client.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.Equal(ErrorKind.PaymentRequired, result.Error!.Kind);
        Assert.Equal("card_declined", result.Error.Code);
        Assert.Equal("Your card was declined.", result.Error.Detail);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task An_invalid_request_is_a_400_problem_naming_stripes_reason()
    {
        _script.Enqueue((400, """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such price: 'price_x'"}}""", null));

        var result = await _client.CreateCheckoutSessionAsync(Checkout(), default);

        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        Assert.Equal("payment_request_rejected", result.Error.Code);
        Assert.Contains("resource_missing", result.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported_as_unavailable()
    {
        for (var i = 0; i < 4; i++)
        {
            _script.Enqueue((500, """{"error":{"type":"api_error","message":"boom"}}""", null));
        }

        var result = await _client.CancelAtPeriodEndAsync(Tenant, "sub_1", "cancel-key", default);

        Assert.Equal(ErrorKind.Unavailable, result.Error!.Kind);
        Assert.Equal(4, _requests.Count);
        Assert.All(_requests, r => Assert.Equal(("/v1/subscriptions/sub_1", "cancel_at_period_end=true"), (r.Path, r.Body)));
    }

    [Fact]
    public async Task A_401_re_reads_the_rotated_key_once()
    {
        _script.Enqueue((401, """{"error":{"type":"invalid_request_error","message":"Invalid API Key"}}""", null));
        _script.Enqueue((200, """{"id":"cus_after_rotation"}""", null));

        var customer = await _client.CreateCustomerAsync(Tenant, User, null, "k", default);

        Assert.Equal("cus_after_rotation", customer.Value);
        Assert.Equal(["Bearer sk_test_alpha_1", "Bearer sk_test_alpha_2"], _requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_refund_names_the_payment_intent_and_the_amount_with_its_idempotency_key()
    {
        _script.Enqueue((200, """{"id":"re_1","object":"refund"}""", null));

        var refund = await _client.RefundAsync(Tenant, "pi_123", 500, "refund-key", default);

        Assert.Equal("re_1", refund.Value);
        var request = Assert.Single(_requests);
        Assert.Equal(("/v1/refunds", "payment_intent=pi_123&amount=500", "refund-key"), (request.Path, request.Body, request.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task An_unreachable_provider_is_reported_as_unavailable()
    {
        using var nowhere = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var client = new StripeClient(nowhere, _secrets, new StripeOptions { MaxRetries = 1, RetryDelayMilliseconds = 1, TimeoutSeconds = 2 });

        var result = await client.CreatePortalSessionAsync(Tenant, "cus_1", "https://alpha.example/", default);

        Assert.Equal(ErrorKind.Unavailable, result.Error!.Kind);
        Assert.Equal("payment_provider_unavailable", result.Error.Code);
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
