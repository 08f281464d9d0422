using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Notifications;
using Xunit;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>The FCM HTTP v1 adapter against a local server speaking FCM's protocol (requests, error bodies, Retry-After).</summary>
public sealed class FcmNotificationSenderTests : IAsyncLifetime
{
    private const string Unregistered = """{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}""";
    private const string InvalidArgument = """{"error":{"code":400,"message":"The registration token is not a valid FCM registration token","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INVALID_ARGUMENT"}]}}""";
    private const string QuotaExceeded = """{"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"QUOTA_EXCEEDED"}]}}""";
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private NotificationHttpFixture _fixture = null!;
    private readonly FixedTokens _tokens = new();

    public async Task InitializeAsync() => _fixture = await NotificationHttpFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private IPushDeviceStore Devices => _fixture.Store.Get<IPushDeviceStore>();

    private FcmNotificationSender Sender(int maxRetries = 2, OutboundHttpOptions? http = null) => new(
        _fixture.Client(http ?? new OutboundHttpOptions { MaxRetries = maxRetries, FirstRetryDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromMinutes(5) }),
        new FcmOptions { BaseUrl = _fixture.Server.BaseAddress, ProjectId = "doffers-demo", Title = "D'Offers" },
        _tokens,
        Devices,
        _fixture.Clock,
        NullLogger<FcmNotificationSender>.Instance);

    private static CampaignNotification Message(UserId user) =>
        new(Alpha, user, NotificationChannel.Push, $"camp-1:{user.Value}:push", "camp-1", "offer-7", "Flat 20% off on sweets today");

    private async Task<UserId> UserWithDevicesAsync(params string[] tokens)
    {
        var user = UserId.New();
        for (var i = 0; i < tokens.Length; i++)
        {
            await Devices.RegisterAsync(Alpha, user, tokens[i], _fixture.Clock.GetUtcNow().AddSeconds(i), default);
        }

        return user;
    }

    [Fact]
    public async Task A_message_is_posted_to_messages_send_with_the_oauth_token_and_the_v1_payload()
    {
        var user = await UserWithDevicesAsync("device-token-1");

        Assert.Equal(DeliveryOutcome.Delivered, await Sender().SendAsync(Message(user), default));

        var request = Assert.Single(_fixture.Server.Requests);
        Assert.Equal(("POST", "/v1/projects/doffers-demo/messages:send"), (request.Method, request.Path));
        Assert.Equal("Bearer ya29.test-token-1", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var message = JsonNode.Parse(request.Body)!["message"]!;
        Assert.Equal("device-token-1", (string)message["token"]!);
        Assert.Equal(("D'Offers", "Flat 20% off on sweets today"), ((string)message["notification"]!["title"]!, (string)message["notification"]!["body"]!));
        Assert.Equal(("camp-1", "offer-7", $"camp-1:{user.Value}:push"), ((string)message["data"]!["campaign_id"]!, (string)message["data"]!["offer_id"]!, (string)message["data"]!["message_id"]!));
    }

    [Fact]
    public async Task A_customer_without_a_device_is_failed_without_a_request()
    {
        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(UserId.New()), default));
        Assert.Empty(_fixture.Server.Requests);
    }

    [Theory]
    [InlineData(404, Unregistered)]
    [InlineData(400, InvalidArgument)]
    public async Task A_dead_token_is_failed_and_forgotten_without_a_retry(int status, string body)
    {
        var user = await UserWithDevicesAsync("dead-token");
        _fixture.Server.Script.Enqueue((status, body, null));

        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(user), default));

        Assert.Single(_fixture.Server.Requests);
        Assert.Empty(await Devices.ListAsync(Alpha, user, default));
    }

    [Fact]
    public async Task One_live_device_is_a_delivery_and_the_dead_one_beside_it_is_forgotten()
    {
        var user = await UserWithDevicesAsync("dead-token", "live-token");
        _fixture.Server.Script.Enqueue((200, """{"name":"projects/doffers-demo/messages/1"}""", null)); // live-token: newest, sent first
        _fixture.Server.Script.Enqueue((404, Unregistered, null));

        Assert.Equal(DeliveryOutcome.Delivered, await Sender().SendAsync(Message(user), default));

        Assert.Equal(["live-token", "dead-token"], _fixture.Server.Requests.Select(r => (string)JsonNode.Parse(r.Body)!["message"]!["token"]!));
        Assert.Equal(["live-token"], await Devices.ListAsync(Alpha, user, default));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_on_the_clock_and_the_same_message_sent_again()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        _fixture.Server.Script.Enqueue((429, QuotaExceeded, "7"));
        _fixture.Server.Script.Enqueue((200, "{}", null));

        Assert.Equal(DeliveryOutcome.Delivered, await _fixture.DriveAsync(Sender().SendAsync(Message(user), default)));

        Assert.Equal(2, _fixture.Server.Requests.Count);
        Assert.Single(_fixture.Server.Requests.Select(r => r.Body).Distinct());
        Assert.Contains(TimeSpan.FromSeconds(7), _fixture.Clock.RequestedDelays);
    }

    [Fact]
    public async Task Server_errors_past_the_retries_defer_the_message_and_keep_the_device()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        for (var i = 0; i < 3; i++)
        {
            _fixture.Server.Script.Enqueue((503, """{"error":{"code":503,"status":"UNAVAILABLE"}}""", null));
        }

        await Assert.ThrowsAsync<NotificationDeferredException>(() => _fixture.DriveAsync(Sender(maxRetries: 2).SendAsync(Message(user), default)));

        Assert.Equal(3, _fixture.Server.Requests.Count);
        Assert.Equal(["device-token-1"], await Devices.ListAsync(Alpha, user, default));
    }

    [Fact]
    public async Task An_open_circuit_defers_at_once_without_a_request_and_closes_after_the_break()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        var sender = Sender(http: new OutboundHttpOptions { MaxRetries = 0, BreakMinimumThroughput = 2, BreakFailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(15), AttemptTimeout = TimeSpan.FromMinutes(5) });
        for (var i = 0; i < 2; i++)
        {
            _fixture.Server.Script.Enqueue((503, """{"error":{"code":503,"status":"UNAVAILABLE"}}""", null));
            await Assert.ThrowsAsync<NotificationDeferredException>(() => sender.SendAsync(Message(user), default));
        }

        var deferred = await Assert.ThrowsAsync<NotificationDeferredException>(() => sender.SendAsync(Message(user), default));

        Assert.IsType<BrokenCircuitException>(deferred.InnerException);
        Assert.Equal(2, _fixture.Server.Requests.Count);
        Assert.Equal(["device-token-1"], await Devices.ListAsync(Alpha, user, default));
        _fixture.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(DeliveryOutcome.Delivered, await sender.SendAsync(Message(user), default));
        Assert.Equal(3, _fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_defers_at_once_and_says_when()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        _fixture.Server.Script.Enqueue((429, QuotaExceeded, "120"));

        var deferred = await Assert.ThrowsAsync<NotificationDeferredException>(() => _fixture.DriveAsync(Sender().SendAsync(Message(user), default)));

        Assert.Single(_fixture.Server.Requests);
        Assert.Equal(TimeSpan.FromSeconds(120), deferred.RetryAfter);
    }

    [Fact]
    public async Task A_401_renews_the_oauth_token_once_and_sends_again()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        _fixture.Server.Script.Enqueue((401, """{"error":{"code":401,"status":"UNAUTHENTICATED"}}""", null));

        Assert.Equal(DeliveryOutcome.Delivered, await Sender().SendAsync(Message(user), default));

        Assert.Equal(["Bearer ya29.test-token-1", "Bearer ya29.test-token-2"], _fixture.Server.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Another_refusal_is_failed_without_a_retry_and_keeps_the_device()
    {
        var user = await UserWithDevicesAsync("device-token-1");
        _fixture.Server.Script.Enqueue((400, """{"error":{"code":400,"status":"FAILED_PRECONDITION"}}""", null));

        Assert.Equal(DeliveryOutcome.Failed, await Sender().SendAsync(Message(user), default));

        Assert.Single(_fixture.Server.Requests);
        Assert.Equal(["device-token-1"], await Devices.ListAsync(Alpha, user, default));
    }

    /// <summary>A token source that counts renewals, so a test sees the 401 path take a new token.</summary>
    private sealed class FixedTokens : IGoogleAccessTokenSource
    {
        private int _generation = 1;

        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult($"ya29.test-token-{_generation}");

        public void Invalidate() => _generation++;
    }
}
