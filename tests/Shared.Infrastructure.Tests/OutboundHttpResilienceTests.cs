using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Shared.Infrastructure.Hosting;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// The outbound REST resilience handler (Microsoft.Extensions.Http.Resilience) every remaining REST client uses, against
/// a local server, on a fake clock the test moves: no test waits real time for a delay, a timeout or a break.
/// </summary>
public sealed class OutboundHttpResilienceTests : IAsyncLifetime
{
    private readonly RecordingFakeTime _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private RecordingServer _server = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync(defaultStatus: 200);

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    private HttpClient Client(OutboundHttpOptions options, Uri? baseAddress = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddHttpClient("test", c =>
        {
            c.BaseAddress = baseAddress ?? _server.BaseAddress;
            c.Timeout = Timeout.InfiniteTimeSpan;
        }).AddOutboundResilience("test", _ => options);
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client) =>
        _clock.DriveAsync(client.PostAsync("send", new StringContent("{}")), TimeSpan.FromMilliseconds(250));

    [Fact]
    public async Task A_retry_after_is_honoured_on_the_injected_clock_and_the_same_request_sent_again()
    {
        _server.Script.Enqueue((429, "", "2"));
        _server.Script.Enqueue((200, "", null));
        var started = _clock.GetUtcNow();

        using var response = await PostAsync(Client(new OutboundHttpOptions { AttemptTimeout = TimeSpan.FromMinutes(10) }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal("{}", r.Body));
        Assert.Contains(TimeSpan.FromSeconds(2), _clock.RequestedDelays);
        Assert.True(_clock.GetUtcNow() - started >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_goes_straight_back_to_the_caller()
    {
        _server.Script.Enqueue((503, "", "120"));

        using var response = await PostAsync(Client(new OutboundHttpOptions { MaxRetryAfter = TimeSpan.FromSeconds(30) }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        _server.Script.Enqueue((400, "", null));

        using var response = await PostAsync(Client(new OutboundHttpOptions()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_calls_fail_without_reaching_the_server_and_it_closes_after_the_break()
    {
        var client = Client(new OutboundHttpOptions { MaxRetries = 0, BreakMinimumThroughput = 4, BreakFailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(15) });
        for (var i = 0; i < 4; i++)
        {
            _server.Script.Enqueue((503, "", null));
            using var failed = await PostAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        var broken = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.PostAsync("send", new StringContent("{}")));
        Assert.Equal(4, _server.Requests.Count); // refused here, never sent
        Assert.True(broken.RetryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(15));

        _clock.Advance(TimeSpan.FromSeconds(15));
        using var probe = await PostAsync(client);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(5, _server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_times_out_on_the_injected_clock_and_is_retried()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var client = Client(new OutboundHttpOptions { MaxRetries = 1, AttemptTimeout = TimeSpan.FromSeconds(5) }, new Uri($"http://127.0.0.1:{port}/"));
        var started = _clock.GetUtcNow();

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => _clock.DriveAsync(client.PostAsync("send", new StringContent("{}")), TimeSpan.FromSeconds(1)));

        Assert.True(_clock.GetUtcNow() - started >= TimeSpan.FromSeconds(10), "two attempts of 5 s each, by the injected clock");
    }
}
