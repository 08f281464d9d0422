using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Notifications;
using Shared.Infrastructure.Secrets;
using Xunit;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>The WhatsApp Cloud API adapter against a local server speaking the Graph API's protocol (requests, error codes, Retry-After).</summary>
public sealed class WhatsAppCloudSenderTests : IAsyncLifetime
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private NotificationHttpFixture _fixture = null!;
    private CountingSecrets _secrets = null!;

    public async Task InitializeAsync()
    {
        _fixture = await NotificationHttpFixture.StartAsync();
        _secrets = new CountingSecrets(new ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Secrets:whatsapp_access_token", (string?)"EAAG-test-token")]).Build()));
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private static string GraphError(int code, string message) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = $"(#{code}) {message}",
                ["type"] = "OAuthException",
                ["code"] = code,
                ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = message },
                ["fbtrace_id"] = "AbCdEf",
            },
        }.ToJsonString();

    private WhatsAppCloudSender Sender(int maxRetries = 2, OutboundHttpOptions? http = null) => new(
        _fixture.Client(http ?? new OutboundHttpOptions { MaxRetries = maxRetries, FirstRetryDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromMinutes(5) }, WhatsAppCloudSender.IsRateLimitedAsync),
        new WhatsAppCloudOptions { BaseUrl = _fixture.Server.BaseAddress, ApiVersion = "v23.0", PhoneNumberId = "106540352242922" },
        _secrets,
        _fixture.Store.Get<IVerifiedPhoneDirectory>(),
        _fixture.Clock,
        NullLogger<WhatsAppCloudSender>.Instance);

    private static CampaignNotification Message(UserId user, string text = "Flat 20% off on sweets today at Ravi's") =>
        new(Alpha, user, NotificationChannel.WhatsApp, $"camp-1:{user.Value}:whatsapp", "camp-1", "offer-7", text);

    private async Task<UserId> VerifiedUserAsync(string number = "+91 98765 43210")
    {
        var user = UserId.New();
        Assert.True(PhoneNumber.TryParse(number, out var phone));
        Assert.Equal(user, await _fixture.Store.Get<IAccountStore>().ClaimPhoneAsync(Alpha, phone!.Value, user, _fixture.Clock.GetUtcNow(), default));
        return user;
    }

    [Fact]
    public async Task A_text_message_goes_to_the_phone_number_id_with_the_bearer_token_and_the_cloud_api_body()
    {
        var user = await VerifiedUserAsync();
        _fixture.Server.Script.Enqueue((200, """{"messaging_product":"whatsapp","contacts":[{"input":"919876543210","wa_id":"919876543210"}],"messages":[{"id":"wamid.HBgM"}]}""", null));

        Assert.Equal(DeliveryOutcome.Delivered, await Sender().SendAsync(Message(user), default));

        var request = Assert.Single(_fixture.Server.Requests);
        Assert.Equal(("POST", "/v23.0/106540352242922/messages"), (request.Method, request.Path));
        Assert.Equal("Bearer EAAG-test-token", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("whatsapp", "individual", "919876543210", "text"), ((string)body["messaging_product"]!, (string)body["recipient_type"]!, (string)body["to"]!, (string)body["type"]!));
        Assert.Equal("Flat 20% off on sweets today at Ravi's", (string)body["text"]!["body"]!);
        Assert.False((bool)body["text"]!["preview_url"]!);
    }

    [Fact]
    public async Task A_customer_without_a_verified_phone_is_failed_without_a_request()
    {
        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(UserId.New()), default));
        Assert.Empty(_fixture.Server.Requests);
    }

    [Fact]
    public async Task The_4096_character_limit_is_kept_before_sending()
    {
        var user = await VerifiedUserAsync();

        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(user, new string('a', 4097)), default));
        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(user, ""), default));
        Assert.Empty(_fixture.Server.Requests);

        // 4096 characters, counted as characters: 4095 letters and one emoji (two UTF-16 units).
        Assert.Equal(DeliveryOutcome.Delivered, await Sender().SendAsync(Message(user, new string('a', 4095) + "🎉"), default));
        Assert.Single(_fixture.Server.Requests);
    }

    [Theory]
    [InlineData(131048, "Spam rate limit hit")]
    [InlineData(130429, "Rate limit hit")]
    public async Task A_rate_limit_error_code_in_a_400_is_retried_and_then_delivered(int code, string message)
    {
        var user = await VerifiedUserAsync();
        _fixture.Server.Script.Enqueue((400, GraphError(code, message), null));

        Assert.Equal(DeliveryOutcome.Delivered, await _fixture.DriveAsync(Sender().SendAsync(Message(user), default)));

        Assert.Equal(2, _fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task A_rate_limit_that_outlasts_the_retries_defers_the_message()
    {
        var user = await VerifiedUserAsync();
        for (var i = 0; i < 3; i++)
        {
            _fixture.Server.Script.Enqueue((400, GraphError(130429, "Rate limit hit"), null));
        }

        await Assert.ThrowsAsync<NotificationDeferredException>(() => _fixture.DriveAsync(Sender(maxRetries: 2).SendAsync(Message(user), default)));

        Assert.Equal(3, _fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_on_the_clock()
    {
        var user = await VerifiedUserAsync();
        _fixture.Server.Script.Enqueue((429, GraphError(80007, "Rate limit issues"), "5"));

        Assert.Equal(DeliveryOutcome.Delivered, await _fixture.DriveAsync(Sender().SendAsync(Message(user), default)));

        Assert.Equal(2, _fixture.Server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(5), _fixture.Clock.RequestedDelays);
    }

    [Fact]
    public async Task Server_errors_past_the_retries_defer_the_message()
    {
        var user = await VerifiedUserAsync();
        for (var i = 0; i < 2; i++)
        {
            _fixture.Server.Script.Enqueue((500, GraphError(1, "An unknown error occurred"), null));
        }

        await Assert.ThrowsAsync<NotificationDeferredException>(() => _fixture.DriveAsync(Sender(maxRetries: 1).SendAsync(Message(user), default)));

        Assert.Equal(2, _fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task Rate_limits_in_a_400_open_the_circuit_which_defers_at_once_without_a_request_until_the_break_ends()
    {
        var user = await VerifiedUserAsync();
        var sender = Sender(http: new OutboundHttpOptions { MaxRetries = 0, BreakMinimumThroughput = 2, BreakFailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(15), AttemptTimeout = TimeSpan.FromMinutes(5) });
        for (var i = 0; i < 2; i++)
        {
            _fixture.Server.Script.Enqueue((400, GraphError(130429, "Rate limit hit"), null));
            await Assert.ThrowsAsync<NotificationDeferredException>(() => sender.SendAsync(Message(user), default));
        }

        var deferred = await Assert.ThrowsAsync<NotificationDeferredException>(() => sender.SendAsync(Message(user), default));

        Assert.IsType<BrokenCircuitException>(deferred.InnerException);
        Assert.Equal(2, _fixture.Server.Requests.Count);
        _fixture.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(DeliveryOutcome.Delivered, await sender.SendAsync(Message(user), default));
        Assert.Equal(3, _fixture.Server.Requests.Count);
    }

    [Theory]
    [InlineData(131026, "Message undeliverable")]
    [InlineData(131047, "Re-engagement message")]
    [InlineData(100, "Invalid parameter")]
    public async Task Another_client_error_is_failed_at_once(int code, string message)
    {
        var user = await VerifiedUserAsync();
        _fixture.Server.Script.Enqueue((400, GraphError(code, message), null));

        Assert.Equal(DeliveryOutcome.Failed, await _fixture.DriveAsync(Sender().SendAsync(Message(user), default)));

        Assert.Single(_fixture.Server.Requests);
    }

    [Fact]
    public async Task An_expired_token_drops_the_cached_secret_and_defers()
    {
        var user = await VerifiedUserAsync();
        _fixture.Server.Script.Enqueue((401, GraphError(190, "Error validating access token"), null));

        await Assert.ThrowsAsync<NotificationDeferredException>(() => Sender().SendAsync(Message(user), default));

        Assert.Equal([WhatsAppCloudOptions.AccessTokenSecret], _secrets.Invalidated);
    }

    private sealed class CountingSecrets(ISecretProvider inner) : ISecretProvider
    {
        public List<string> Invalidated { get; } = [];

        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => inner.FindAsync(name, cancellationToken);

        public void Invalidate(string name) => Invalidated.Add(name);
    }
}
