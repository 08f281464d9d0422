using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Infrastructure.Ai;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// The AI pipeline as the app registers it (Microsoft.Extensions.AI: tenant prompt cache on HybridCache, our rate limit,
/// OpenTelemetry, failure mapping; the OpenAI client through the resilience handler) against a local server speaking
/// chat completions, on a fake clock that only the test moves; the Azure OpenAI configuration; the offline client.
/// </summary>
public sealed class AiProviderTests : IAsyncLifetime
{
    private const string Completion = """{"id":"chatcmpl-1","object":"chat.completion","created":1763888400,"model":"gpt-test-1","choices":[{"index":0,"message":{"role":"assistant","content":"console.log('dark mode');"},"finish_reason":"stop"}]}""";
    private static readonly AiPrompt Prompt = new(TenantId.Parse("alpha"), "system text", "Add a dark mode toggle");

    private readonly RecordingFakeTime _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _providers = [];
    private RecordingServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync(defaultStatus: 200);

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    /// <summary>The app's AI registration (AddAiGeneration) on this test's clock, with overrides.</summary>
    private ServiceProvider Services(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:BaseUrl"] = _server.BaseAddress + "v1",
            ["Ai:Model"] = "gpt-test",
            ["Ai:MaxRetries"] = "2",
            ["Ai:RetryDelayMilliseconds"] = "100",
            ["Ai:TimeoutSeconds"] = "600", // far beyond what a local answer needs while the test moves the clock
            ["Ai:MaxTokens"] = "512",
            ["Ai:CacheTtlMinutes"] = "0",
            ["Secrets:ai_api_key"] = "sk-test-key",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLogging();
        services.AddMemoryCache(o => o.SizeLimit = 500_000); // as the app has it (every entry must then carry a size)
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((o, time) => o.Clock = new TimeProviderCacheClock(time));
        services.AddSingleton<ISecretProvider>(new ConfigurationSecretProvider(configuration));
        configure?.Invoke(services);
        services.AddAiGeneration(configuration, new TestHostEnvironment("Development"));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private IAiProvider Provider(Dictionary<string, string?>? settings = null) => Services(settings).GetRequiredService<IAiProvider>();

    private Task<AiCompletion> RunAsync(IAiProvider provider, AiPrompt? prompt = null) =>
        _clock.DriveAsync(provider.CompleteAsync(prompt ?? Prompt, default), TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task A_completion_is_requested_as_chat_completions_with_the_key_and_read_from_the_first_choice()
    {
        _server.Script.Enqueue((200, Completion, null));

        var completion = await RunAsync(Provider());

        Assert.Equal("console.log('dark mode');", completion.Text);
        Assert.Equal("gpt-test-1", completion.Model);
        Assert.Equal("openai", completion.Provider);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-key", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("gpt-test", (string)body["model"]!);
        Assert.Equal(512, (int)(body["max_completion_tokens"] ?? body["max_tokens"])!);
        Assert.Equal(["system", "user"], body["messages"]!.AsArray().Select(m => (string)m!["role"]!));
        Assert.Equal("Add a dark mode toggle", (string)body["messages"]![1]!["content"]!);
        Assert.DoesNotContain("serverless.", request.Body, StringComparison.Ordinal); // our call context stays with us
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_on_the_injected_clock_and_retried()
    {
        _server.Script.Enqueue((429, """{"error":{"message":"slow down"}}""", "1"));
        _server.Script.Enqueue((200, Completion, null));
        var started = _clock.GetUtcNow();

        var completion = await RunAsync(Provider());

        Assert.Equal("console.log('dark mode');", completion.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(1), _clock.RequestedDelays); // the retry waited exactly the Retry-After…
        Assert.True(_clock.GetUtcNow() - started >= TimeSpan.FromSeconds(1), "retried before the Retry-After had passed on the clock"); // …on the injected clock
    }

    [Fact]
    public async Task Server_errors_are_retried_and_then_reported_as_a_transient_failure()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Script.Enqueue((500, """{"error":{"message":"boom"}}""", null));
        }

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => RunAsync(Provider()));

        Assert.True(failure.Transient);
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count); // first attempt + 2 retries
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_is_not_transient()
    {
        _server.Script.Enqueue((400, """{"error":{"message":"bad model"}}""", null));

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => RunAsync(Provider()));

        Assert.False(failure.Transient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_missing_api_key_is_a_failure_another_attempt_would_repeat()
    {
        var failure = await Assert.ThrowsAsync<AiProviderException>(() => RunAsync(Provider(new() { ["Secrets:ai_api_key"] = null, ["Ai:ApiKeySecret"] = "no-such-secret" })));

        Assert.False(failure.Transient);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"message":{"content":42}}]}""")]
    [InlineData("""{"choices":[{"message":{"content":""}}]}""")]
    public async Task A_malformed_answer_is_a_typed_failure(string body)
    {
        _server.Script.Enqueue((200, body, null));

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => RunAsync(Provider()));

        Assert.False(failure.Transient);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_a_transient_timeout_on_the_injected_clock()
    {
        // A port that accepts connections and never answers: a listening socket we never read from.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var provider = Provider(new() { ["Ai:BaseUrl"] = $"http://127.0.0.1:{port}/v1/", ["Ai:MaxRetries"] = "1", ["Ai:TimeoutSeconds"] = "5" });
        var started = _clock.GetUtcNow();

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => _clock.DriveAsync(provider.CompleteAsync(Prompt, default), TimeSpan.FromSeconds(1)));

        Assert.True(failure.Transient);
        Assert.Contains("did not answer within 5 s", failure.Message, StringComparison.Ordinal);
        Assert.True(_clock.GetUtcNow() - started >= TimeSpan.FromSeconds(10), "two attempts of 5 s each, by the injected clock");
    }

    [Fact]
    public async Task A_retry_after_given_as_a_date_is_read_against_the_injected_clock_and_left_to_the_worker_when_long()
    {
        _server.Script.Enqueue((503, """{"error":{"message":"down"}}""", "Mon, 23 Nov 2026 09:02:00 GMT"));

        var failure = await Assert.ThrowsAsync<AiProviderException>(() => Provider().CompleteAsync(Prompt, default)); // no retry, so no timer to drive

        Assert.True(failure.Transient);
        Assert.Equal(TimeSpan.FromMinutes(2), failure.RetryAfter);
        Assert.Single(_server.Requests); // two minutes is beyond Ai:MaxRetryAfterSeconds: the worker schedules the next round instead
    }

    [Fact]
    public async Task The_cache_answers_the_same_tenant_and_normalized_prompt_until_it_expires_by_the_injected_clock_but_never_another_tenant()
    {
        var provider = Provider(new() { ["Ai:CacheTtlMinutes"] = "60" });
        for (var i = 0; i < 3; i++)
        {
            _server.Script.Enqueue((200, Completion, null));
        }

        var first = await RunAsync(provider);
        var again = await RunAsync(provider, Prompt with { User = "  add a DARK   mode toggle " });
        var otherTenant = await RunAsync(provider, Prompt with { TenantId = TenantId.Parse("beta") });
        _clock.Advance(TimeSpan.FromMinutes(61));
        var expired = await RunAsync(provider);

        Assert.False(first.FromCache);
        Assert.True(again.FromCache);
        Assert.Equal(first.Text, again.Text);
        Assert.False(otherTenant.FromCache);
        Assert.False(expired.FromCache);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task The_cache_is_shared_between_instances_through_the_distributed_cache()
    {
        // One distributed cache (what Redis would be in Azure), two app instances with their own memory. (HybridCache
        // ignores a plain MemoryDistributedCache as L2, since it would only duplicate L1, so it is wrapped here.)
        var shared = new OutOfProcessCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new TimeProviderCacheClock(_clock) })));
        var settings = new Dictionary<string, string?> { ["Ai:CacheTtlMinutes"] = "60" };
        var first = Services(settings, s => s.AddSingleton<IDistributedCache>(shared)).GetRequiredService<IAiProvider>();
        var second = Services(settings, s => s.AddSingleton<IDistributedCache>(shared)).GetRequiredService<IAiProvider>();
        _server.Script.Enqueue((200, Completion, null));
        _server.Script.Enqueue((200, Completion, null));

        var made = await RunAsync(first);
        var key = TenantPromptCacheChatClient.KeyFor(Prompt.TenantId, null, [new ChatMessage(ChatRole.System, Prompt.System), new ChatMessage(ChatRole.User, Prompt.User)]);
        for (var i = 0; i < 200 && await shared.GetAsync(key) is null; i++)
        {
            await Task.Delay(10); // should the distributed write complete after the first caller has its answer
        }

        var reused = await RunAsync(second);
        var otherTenant = await RunAsync(second, Prompt with { TenantId = TenantId.Parse("beta") });

        Assert.False(made.FromCache);
        Assert.True(reused.FromCache);
        Assert.Equal(made.Text, reused.Text);
        Assert.False(otherTenant.FromCache);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task The_rate_limit_is_per_tenant_and_says_when_to_come_back()
    {
        var counting = new CountingChatClient();
        var limited = new ChatClientAiProvider(new TenantRateLimitingChatClient(counting, 2, _clock), "counting", new AiOptions());

        await limited.CompleteAsync(Prompt, default);
        await limited.CompleteAsync(Prompt, default);
        var refused = await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default));
        var otherTenant = await limited.CompleteAsync(Prompt with { TenantId = TenantId.Parse("beta") }, default);

        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter); // 2 a minute: one token every 30 s
        Assert.Equal("alpha", refused.TenantId.Value);
        Assert.Equal("counting", otherTenant.Provider);
        Assert.Equal(3, counting.Calls);
    }

    [Fact]
    public async Task The_rate_limit_refills_by_the_injected_clock_and_spreads_refused_callers_one_token_apart()
    {
        var counting = new CountingChatClient();
        var limited = new ChatClientAiProvider(new TenantRateLimitingChatClient(counting, 6, _clock), "counting", new AiOptions()); // one token per 10 s
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
            _clock.Advance(TimeSpan.FromSeconds(step));
            await limited.CompleteAsync(Prompt, default);
        }

        Assert.Equal(9, counting.Calls);

        // A full minute idle refills the bucket to its capacity, no more.
        _clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 6; i++)
        {
            await limited.CompleteAsync(Prompt, default);
        }

        await Assert.ThrowsAsync<AiRateLimitExceededException>(() => limited.CompleteAsync(Prompt, default));
        Assert.Equal(15, counting.Calls);
    }

    [Fact]
    public async Task Azure_openai_calls_the_deployment_with_an_entra_token_from_the_credential()
    {
        var credential = new FixedTokenCredential();
        var provider = Services(
            new() { ["Ai:Provider"] = "AzureOpenAI", ["Ai:AzureEndpoint"] = _server.BaseAddress.ToString(), ["Ai:Model"] = "features-deployment", ["Secrets:ai_api_key"] = null },
            s => s.AddSingleton<TokenCredential>(credential)).GetRequiredService<IAiProvider>();
        _server.Script.Enqueue((200, Completion, null));

        var completion = await RunAsync(provider);

        Assert.Equal("azure-openai", completion.Provider);
        Assert.Equal("console.log('dark mode');", completion.Text);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/openai/deployments/features-deployment/chat/completions", request.Path);
        Assert.Equal("Bearer entra-token-for-" + AiServices.AzureOpenAIScope, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("api-key"));
    }

    [Fact]
    public async Task The_offline_provider_is_deterministic_labelled_and_escapes_the_request()
    {
        var offline = Services(new() { ["Ai:Provider"] = "Offline" }).GetRequiredService<IAiProvider>();
        var hostile = Prompt with { User = "\"; alert(1); // </script>\n*/" };

        var a = await offline.CompleteAsync(hostile, default);
        var b = await offline.CompleteAsync(hostile, default);

        Assert.Equal(a.Text, b.Text);
        Assert.Equal("offline", a.Provider);
        Assert.Equal("template-v1", a.Model);
        Assert.StartsWith("// OFFLINE PROVIDER: placeholder output, not generated by an AI model.", a.Text, StringComparison.Ordinal);
        Assert.Contains("const request = \"\\u0022; alert(1); // \\u003C/script\\u003E\\n*/\";", a.Text, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Every_provider_call_is_traced_under_the_backends_source_and_cache_hits_are_not()
    {
        var spans = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Shared.Infrastructure.Diagnostics.Telemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var provider = Provider(new() { ["Ai:CacheTtlMinutes"] = "60" });
        _server.Script.Enqueue((200, Completion, null));

        await RunAsync(provider);
        await RunAsync(provider); // answered by the cache, above the telemetry middleware

        System.Diagnostics.Activity[] chat;
        lock (spans)
        {
            chat = [.. spans.Where(s => Equals(s.GetTagItem("gen_ai.operation.name"), "chat"))];
        }

        var span = Assert.Single(chat);
        Assert.Equal("gpt-test", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-test-1", span.GetTagItem("gen_ai.response.model"));
    }

    [Fact]
    public void The_offline_provider_is_refused_in_production()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ai:Provider"] = "Offline" }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAiGeneration(configuration, new TestHostEnvironment("Production")));

        Assert.Contains("OFFLINE", refused.Message.ToUpperInvariant(), StringComparison.Ordinal);
    }

    private sealed class CountingChatClient : IChatClient
    {
        private int _calls;

        public int Calls => _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer {Interlocked.Increment(ref _calls)}")) { ModelId = "m" });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Stands for a cache in another process (Redis): a distributed cache that is not the in-memory type.</summary>
    private sealed class OutOfProcessCache(IDistributedCache inner) : IDistributedCache
    {
        public byte[]? Get(string key) => inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public void Refresh(string key) => inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public void Remove(string key) => inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => inner.SetAsync(key, value, options, token);
    }

    private sealed class FixedTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("entra-token-for-" + string.Join(" ", requestContext.Scopes), DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
