using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Secrets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The OpenAI-compatible adapter against a local server speaking chat completions; the cache, the rate limit and the offline provider.</summary>
public sealed class AiProviderTests : IAsyncLifetime, IDisposable
{
    private const string Completion = """{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-test-1","choices":[{"index":0,"message":{"role":"assistant","content":"console.log('dark mode');"},"finish_reason":"stop"}]}""";
    private static readonly AiPrompt Prompt = new(TenantId.Parse("alpha"), "system text", "Add a dark mode toggle");

    private RecordingServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await RecordingServer.StartAsync(defaultStatus: 200);
        _http = new HttpClient();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private OpenAiCompatibleProvider Provider(int timeoutSeconds = 5) => new(
        _http,
        new ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Secrets:ai_api_key"] = "sk-test-key" }).Build()),
        new AiOptions { Provider = "OpenAI", BaseUrl = _server.BaseAddress + "v1", Model = "gpt-test", MaxRetries = 2, RetryDelayMilliseconds = 1, TimeoutSeconds = timeoutSeconds, MaxTokens = 512 });

    [Fact]
    public async Task A_completion_is_requested_as_chat_completions_with_the_key_and_read_from_the_first_choice()
    {
        _server.Script.Enqueue((200, Completion, null));

        var completion = await Provider().CompleteAsync(Prompt, default);

        Assert.Equal("console.log('dark mode');", completion.Text);
        Assert.Equal("gpt-test-1", completion.Model);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-key", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("gpt-test", (string)body["model"]!);
        Assert.Equal(512, (int)body["max_tokens"]!);
        Assert.Equal(["system", "user"], body["messages"]!.AsArray().Select(m => (string)m!["role"]!));
        Assert.Equal("Add a dark mode toggle", (string)body["messages"]![1]!["content"]!);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_retried()
    {
        _server.Script.Enqueue((429, """{"error":{"message":"slow down"}}""", "1"));
        _server.Script.Enqueue((200, Completion, null));
        var watch = Stopwatch.StartNew();

        var completion = await Provider().CompleteAsync(Prompt, default);

        Assert.Equal("console.log('dark mode');", completion.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task Server_errors_are_retried_and_then_reported_as_a_transient_failure()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Script.Enqueue((500, """{"error":{"message":"boom"}}""", null));
        }

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => Provider().CompleteAsync(Prompt, default));

        Assert.True(failure.Transient);
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count); // first attempt + 2 retries
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_is_not_transient()
    {
        _server.Script.Enqueue((400, """{"error":{"message":"bad model"}}""", null));

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => Provider().CompleteAsync(Prompt, default));

        Assert.False(failure.Transient);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"message":{"content":42}}]}""")]
    [InlineData("""{"choices":[{"message":{"content":""}}]}""")]
    public async Task A_malformed_answer_is_a_typed_failure(string body)
    {
        _server.Script.Enqueue((200, body, null));

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => Provider().CompleteAsync(Prompt, default));

        Assert.False(failure.Transient);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_a_transient_timeout()
    {
        // A port that accepts connections and never answers: a listening socket we never read from.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var provider = new OpenAiCompatibleProvider(
            _http,
            new ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Secrets:ai_api_key"] = "k" }).Build()),
            new AiOptions { BaseUrl = $"http://127.0.0.1:{port}/v1/", MaxRetries = 1, RetryDelayMilliseconds = 1, TimeoutSeconds = 1 });

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => provider.CompleteAsync(Prompt, default));

        Assert.True(failure.Transient);
        Assert.Contains("did not answer", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_answers_the_same_tenant_and_normalized_prompt_without_calling_again_but_never_another_tenant()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_000 });
        var counting = new CountingProvider();
        var cached = new CachingAiProvider(counting, cache, new AiOptions { CacheTtlMinutes = 60 });

        var first = await cached.CompleteAsync(Prompt, default);
        var again = await cached.CompleteAsync(Prompt with { User = "  add a DARK   mode toggle " }, default);
        var otherTenant = await cached.CompleteAsync(Prompt with { TenantId = TenantId.Parse("beta") }, default);

        Assert.False(first.FromCache);
        Assert.True(again.FromCache);
        Assert.False(otherTenant.FromCache);
        Assert.Equal(2, counting.Calls);
    }

    [Fact]
    public async Task The_rate_limit_is_per_tenant_and_says_when_to_come_back()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var limited = new RateLimitedAiProvider(new CountingProvider(), new AiOptions { RequestsPerMinutePerTenant = 2 }, clock);

        await limited.CompleteAsync(Prompt, default);
        await limited.CompleteAsync(Prompt, default);
        var refused = await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default));
        var otherTenant = await limited.CompleteAsync(Prompt with { TenantId = TenantId.Parse("beta") }, default);

        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter); // 2 a minute: one token every 30 s
        Assert.Equal("alpha", refused.TenantId.Value);
        Assert.Equal("counting", otherTenant.Provider);
    }

    [Fact]
    public async Task The_rate_limit_refills_by_the_injected_clock_and_spreads_refused_callers_one_token_apart()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var counting = new CountingProvider();
        var limited = new RateLimitedAiProvider(counting, new AiOptions { RequestsPerMinutePerTenant = 6 }, clock); // one token per 10 s
        for (var i = 0; i < 6; i++)
        {
            await limited.CompleteAsync(Prompt, default);
        }

        // Three callers refused at the same moment are told to come back 10, 20 and 30 s later, not all at the next token.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add((await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default))).RetryAfter);
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)], waits);

        // Nothing refills while the clock stands still; each comes back at its time and finds its token.
        await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default));
        foreach (var step in new[] { 10, 10, 10 })
        {
            clock.Advance(TimeSpan.FromSeconds(step));
            await limited.CompleteAsync(Prompt, default);
        }

        Assert.Equal(9, counting.Calls);

        // A full minute idle refills the bucket to its capacity, no more.
        clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 6; i++)
        {
            await limited.CompleteAsync(Prompt, default);
        }

        await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default));
        Assert.Equal(15, counting.Calls);
    }

    [Fact]
    public async Task A_retry_after_given_as_a_date_is_read_against_the_injected_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        _server.Script.Enqueue((503, """{"error":{"message":"down"}}""", "Mon, 23 Nov 2026 09:02:00 GMT"));
        _server.Script.Enqueue((503, """{"error":{"message":"down"}}""", "Mon, 23 Nov 2026 09:02:00 GMT"));
        var provider = new OpenAiCompatibleProvider(
            _http,
            new ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Secrets:ai_api_key"] = "k" }).Build()),
            new AiOptions { BaseUrl = _server.BaseAddress + "v1", MaxRetries = 1, RetryDelayMilliseconds = 1, TimeoutSeconds = 5 },
            clock);

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => provider.CompleteAsync(Prompt, default));

        Assert.True(failure.Transient);
        Assert.Equal(TimeSpan.FromMinutes(2), failure.RetryAfter);
    }

    [Fact]
    public async Task The_offline_provider_is_deterministic_labelled_and_escapes_the_request()
    {
        var offline = new OfflineAiProvider();
        var hostile = Prompt with { User = "\"; alert(1); // </script>\n*/" };

        var a = await offline.CompleteAsync(hostile, default);
        var b = await offline.CompleteAsync(hostile, default);

        Assert.Equal(a.Text, b.Text);
        Assert.Equal("offline", a.Provider);
        Assert.StartsWith("// OFFLINE PROVIDER: placeholder output, not generated by an AI model.", a.Text, StringComparison.Ordinal);
        Assert.Contains("const request = \"\\u0022; alert(1); // \\u003C/script\\u003E\\n*/\";", a.Text, StringComparison.Ordinal);
    }

    private sealed class CountingProvider : IAiProvider
    {
        public int Calls { get; private set; }

        public Task<AiCompletion> CompleteAsync(AiPrompt prompt, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new AiCompletion($"answer {Calls}", "counting", "m"));
        }
    }
}
