using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Infrastructure.ServiceBus;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The Service Bus sender against a local server that records requests as Service Bus' REST API receives them.</summary>
public sealed class ServiceBusRestQueueTests : IAsyncLifetime, IDisposable
{
    // Far from the machine's clock on purpose: a sender that judged token expiry by the real clock would renew the
    // token on every send (this clock's hour-long tokens are long expired in real time).
    private readonly RecordingFakeTime _clock = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));
    private readonly FixedCredential _credential;
    private RecordingServer _server = null!;
    private ServiceProvider _services = null!;
    private ServiceBusRestQueue _queue = null!;

    private ConcurrentQueue<RecordedRequest> _requests => _server.Requests;

    public ServiceBusRestQueueTests() => _credential = new FixedCredential(_clock);

    public async Task InitializeAsync()
    {
        _server = await RecordingServer.StartAsync(defaultStatus: 201);

        // The sender as the app registers it: a typed HttpClient with the resilience handler, on this test's clock.
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<TokenCredential>(_credential);
        services.AddSingleton(new ServiceBusOptions { FullyQualifiedNamespace = "unused.servicebus.windows.net", MaxRetries = 2, RetryDelayMilliseconds = 100 });
        services.AddServiceBusSender();
        services.AddHttpClient<ServiceBusRestQueue>(c => c.BaseAddress = _server.BaseAddress);
        _services = services.BuildServiceProvider();
        _queue = _services.GetRequiredService<ServiceBusRestQueue>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose() => _services.Dispose();

    private void Answer(int status) => _server.Script.Enqueue((status, "", null));

    [Fact]
    public async Task One_message_is_sent_with_its_message_id_and_an_entra_token()
    {
        await _queue.SendAsync(QueueNames.AiGenerationPriority, [new JobMessage("req-1", """{"request_id":"req-1"}""", new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero))], default);

        var request = Assert.Single(_requests);
        Assert.Equal("/ai-generation-priority/messages", request.Path);
        Assert.Equal("Bearer token-for-https://servicebus.azure.net/.default", request.Headers["Authorization"]);
        var broker = JsonNode.Parse(request.Headers["BrokerProperties"])!;
        Assert.Equal("req-1", (string)broker["MessageId"]!);
        Assert.Equal("Sun, 22 Nov 2026 12:00:00 GMT", (string)broker["ScheduledEnqueueTimeUtc"]!);
        Assert.Equal("""{"request_id":"req-1"}""", request.Body);
    }

    [Fact]
    public async Task Several_messages_go_as_one_batch_each_with_its_id()
    {
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("a", "1"), new JobMessage("b", "2")], default);

        var request = Assert.Single(_requests);
        Assert.StartsWith("application/vnd.microsoft.servicebus.json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var batch = JsonNode.Parse(request.Body)!.AsArray();
        Assert.Equal(["a", "b"], batch.Select(m => (string)m!["BrokerProperties"]!["MessageId"]!));
        Assert.Equal(["1", "2"], batch.Select(m => (string)m!["Body"]!));
    }

    [Fact]
    public async Task Throttling_is_retried_with_the_same_message_id_and_a_final_refusal_throws()
    {
        Answer(429);
        await _clock.DriveAsync(Sent(_queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m", "x")], default)), TimeSpan.FromMilliseconds(100));
        Answer(503);
        Answer(503);
        Answer(503);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _clock.DriveAsync(Sent(_queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("n", "y")], default)), TimeSpan.FromMilliseconds(100)));

        Assert.Equal(2 + 3, _requests.Count);
        Assert.All(_requests.Take(2), r => Assert.Contains("\"m\"", r.Headers["BrokerProperties"], StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, _credential.Calls); // the token is reused while valid
    }

    [Fact]
    public async Task A_retry_the_worker_schedules_goes_on_the_wire_with_its_rounds_message_id_and_scheduled_enqueue_time()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var store = await StoreSet.SqliteAsync(clock);
        var features = store.Get<IFeatureRequestStore>();
        var tenant = TenantId.Parse("alpha");
        var user = UserId.New();
        var request = new FeatureRequest
        {
            Id = FeatureRequest.NewId(tenant, user, null),
            TenantId = tenant,
            UserId = user,
            RequestText = "Add a dark mode toggle",
            Status = FeatureRequestStatus.Pending,
            Reservation = ReservationState.Held,
            Queue = QueueNames.AiGenerationPriority,
            CreatedAt = clock.Now,
            UpdatedAt = clock.Now,
        };
        Assert.True(await features.TryCreateAsync(request, default));
        var throttled = new Mock<IAiProvider>();
        throttled.Setup(a => a.CompleteAsync(It.IsAny<AiPrompt>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AiProviderException("The AI provider answered 429", transient: true, TimeSpan.FromMinutes(2)));
        var processor = new FeatureJobProcessor(features, store.Quotas, throttled.Object, _queue, new FeatureRetryPolicy(new FeatureOptions(), () => 0), clock);

        var result = await processor.ProcessAsync(FeatureJob.For(request), default);

        Assert.Equal(JobOutcome.Rescheduled, result.Outcome);
        var sent = Assert.Single(_requests);
        Assert.Equal("/ai-generation-priority/messages", sent.Path);
        var broker = JsonNode.Parse(sent.Headers["BrokerProperties"])!;
        Assert.Equal(request.Id + "-r2", (string)broker["MessageId"]!);
        Assert.Equal("Mon, 23 Nov 2026 09:02:00 GMT", (string)broker["ScheduledEnqueueTimeUtc"]!); // the provider's Retry-After
        var body = JsonNode.Parse(sent.Body)!;
        Assert.Equal(request.Id, (string)body["request_id"]!);
        Assert.Equal(2, (int)body["round"]!);
        var stored = await features.GetAsync(tenant, user, request.Id, default);
        Assert.Equal((FeatureRequestStatus.Pending, 2, 1, clock.Now.AddMinutes(2)), (stored!.Status, stored.Round, stored.Attempts, stored.NextAttemptAt));
    }

    [Fact]
    public async Task The_entra_token_is_reused_until_five_minutes_before_it_expires_by_the_injected_clock()
    {
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("a", "1")], default);
        _clock.Advance(TimeSpan.FromMinutes(54));
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("b", "2")], default);
        var callsBeforeRenewal = _credential.Calls;
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("c", "3")], default);
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("d", "4")], default);

        Assert.Equal(1, callsBeforeRenewal); // 54 min into an hour-long token: still 6 min to go
        Assert.Equal(2, _credential.Calls); // 55 min 1 s: renewed once, and the renewed token is reused
    }

    /// <summary>Hands out tokens valid for an hour by the test's clock.</summary>
    private static async Task<bool> Sent(Task send)
    {
        await send;
        return true;
    }

    private sealed class FixedCredential(TimeProvider clock) : TokenCredential
    {
        public int Calls { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new($"token-for-{requestContext.Scopes[0]}", clock.GetUtcNow().AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            return ValueTask.FromResult(GetToken(requestContext, cancellationToken));
        }
    }
}
