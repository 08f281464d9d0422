using System.Web;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Stripe;
using Xunit;

namespace Shared.Infrastructure.Tests.Wallets;

/// <summary>
/// A wallet top-up's Checkout session through Stripe.net against the local server that records each request and answers
/// in Stripe's shapes: payment mode, one inline-priced line (price_data) of quantity × unit amount, the metadata on the
/// session and on its payment intent, cards only, the idempotency key, the tenant's key and the pinned version.
/// </summary>
public sealed class StripePaymentCheckoutTests : IAsyncLifetime
{
    private static readonly TenantId Tenant = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801");
    private RecordingServer _server = null!;
    private StripeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await RecordingServer.StartAsync(defaultStatus: 500);
        _gateway = new StripeGateway(new PlainHttpClients(), new FixedSecrets(), new StripeOptions { BaseUrl = _server.BaseAddress.ToString(), MaxNetworkRetries = 2, TimeoutSeconds = 5 });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static PaymentCheckoutRequest Request(string? customer) => new(
        Tenant,
        User,
        customer,
        new Money(5, "USD"),
        40,
        "Alpha credits",
        new Dictionary<string, string> { ["tenant_id"] = "alpha", ["user_id"] = User.Value, ["purpose"] = "wallet_top_up", ["wallet"] = "credits", ["quantity"] = "40", ["unit_amount"] = "5" },
        "https://alpha.example/ok",
        "https://alpha.example/no",
        "wallet-top-up:abc");

    private static List<(string, string)> Form(string body) =>
        [.. body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(kv => (HttpUtility.UrlDecode(kv[0]), HttpUtility.UrlDecode(kv[1])))];

    [Fact]
    public async Task A_top_up_is_a_payment_mode_session_with_an_inline_price_and_metadata_on_the_payment_intent()
    {
        _server.Script.Enqueue((200, """{"id":"cs_test_9","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_9"}""", null));

        var session = await _gateway.CreatePaymentCheckoutAsync(Request("cus_123"), default);

        Assert.Equal(new CheckoutSession("cs_test_9", "https://checkout.stripe.com/c/pay/cs_test_9"), session.Value);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/v1/checkout/sessions"), (request.Method, request.Path));
        Assert.Equal("Bearer sk_test_alpha", request.Headers["Authorization"]);
        Assert.Equal(StripeApiVersion.Pinned, request.Headers["Stripe-Version"]);
        Assert.Equal("wallet-top-up:abc", request.Headers["Idempotency-Key"]);
        var form = Form(request.Body);
        Assert.Equal(
            [
                ("allowed_payment_method_types[0]", "card"), // cards only: paid when the session completes
                ("cancel_url", "https://alpha.example/no"),
                ("client_reference_id", User.Value),
                ("customer", "cus_123"),
                ("line_items[0][price_data][currency]", "usd"),
                ("line_items[0][price_data][product_data][name]", "Alpha credits"),
                ("line_items[0][price_data][unit_amount]", "5"),
                ("line_items[0][quantity]", "40"),
                ("metadata[tenant_id]", "alpha"),
                ("metadata[user_id]", User.Value),
                ("metadata[purpose]", "wallet_top_up"),
                ("metadata[wallet]", "credits"),
                ("metadata[quantity]", "40"),
                ("metadata[unit_amount]", "5"),
                ("mode", "payment"),
                ("payment_intent_data[metadata][tenant_id]", "alpha"),
                ("payment_intent_data[metadata][user_id]", User.Value),
                ("payment_intent_data[metadata][purpose]", "wallet_top_up"),
                ("payment_intent_data[metadata][wallet]", "credits"),
                ("payment_intent_data[metadata][quantity]", "40"),
                ("payment_intent_data[metadata][unit_amount]", "5"),
                ("success_url", "https://alpha.example/ok"),
            ],
            form);
    }

    [Fact]
    public async Task Without_a_customer_none_is_sent_and_a_card_error_is_a_402_problem()
    {
        _server.Script.Enqueue((402, """{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}""", null));

        var result = await _gateway.CreatePaymentCheckoutAsync(Request(null), default);

        Assert.Equal(Shared.Domain.Common.ErrorKind.PaymentRequired, result.Error!.Kind);
        var request = Assert.Single(_server.Requests);
        Assert.DoesNotContain(Form(request.Body), f => f.Item1 == "customer");
    }

    private sealed class PlainHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(5) };
    }

    private sealed class FixedSecrets : ISecretProvider
    {
        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == SecretNames.StripeSecretKey("alpha") ? "sk_test_alpha" : throw new SecretNotFoundException(name));

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

        public void Invalidate(string name)
        {
        }
    }
}
