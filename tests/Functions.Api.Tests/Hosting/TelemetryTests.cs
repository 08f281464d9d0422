using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>OpenTelemetry through its hosting packages: what is exported, and where it goes in Production.</summary>
public sealed class TelemetryTests
{
    static TelemetryTests()
    {
        // Telemetry about the exporter itself (Statsbeat) goes to Microsoft's endpoints and asks the VM metadata
        // service who we are; the Cosmos SDK asks that service too. Tests reach nothing but 127.0.0.1.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true");
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
    }

    [Fact]
    public async Task A_request_is_exported_as_a_span_with_tenant_and_correlation_id_and_identify_counts_as_a_metric()
    {
        // Activity sources and meters are process-wide, so other tests' apps may add here too: collections that take
        // concurrent adds, and assertions that look for this test's own request.
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["Telemetry:Exporter"] = "Console" })
            .WithWebHostBuilder(b => b.ConfigureServices(s => s
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics))));
        using (var client = factory.CreateClient())
        {
            client.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);
            client.DefaultRequestHeaders.Add("X-Correlation-ID", "corr-telemetry-1");
            using var response = await client.PostAsJsonAsync("/api/v1/users/identify", new { extension_id = ApiCalls.NewExtensionId() });
            Assert.True(response.IsSuccessStatusCode);
        }

        // The server's span ends after the client has its answer (the in-memory server hands the response over before
        // the pipeline unwinds): wait for it, bounded, before flushing.
        static bool Ours(Activity s) => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("tenant.id"), "alpha") && Equals(s.GetTagItem("correlation.id"), "corr-telemetry-1");
        var waiting = Stopwatch.StartNew();
        while (!spans.Snapshot().Any(Ours) && waiting.Elapsed < TimeSpan.FromSeconds(10))
        {
            Flush(factory.Services);
            await Task.Delay(20);
        }

        Flush(factory.Services);
        await factory.DisposeAsync();

        Assert.Contains(spans.Snapshot(), Ours);

        // The meter is named, and OpenTelemetry listens by name: identify calls of other tests' apps running in this
        // process at the same time may add to the same point, so at least this test's one call must be there.
        var identify = metrics.Snapshot().Where(m => m.Name == "identify.outcomes").SelectMany(m => m.MetricPoints).ToList();
        Assert.Contains(identify, p => Tags(p).Contains(("tenant", "alpha")) && Tags(p).Contains(("outcome", "allowed")) && p.GetSumLong() >= 1);
    }

    [Fact]
    public async Task Production_sends_traces_metrics_and_logs_to_Azure_Monitor_with_the_apps_managed_identity()
    {
        await using var ingestion = await AzureMonitorIngestion.StartAsync();
        var tokens = new RecordingCredential();
        ConfiguredExporter? configured = null;
        var factory = new ProductionApi(ingestion, tokens, o => configured = o);
        using (var client = factory.CreateClient())
        {
            client.DefaultRequestHeaders.Add("X-Correlation-ID", "corr-monitor-1");
            client.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);
            using var plans = await client.GetAsync("/api/v1/plans");
            Assert.Equal(200, (int)plans.StatusCode);
            using var webhook = await client.PostAsync("/api/v1/webhooks/stripe/alpha", new StringContent("{}"));
            Assert.Equal(400, (int)webhook.StatusCode); // unsigned: refused, logged and counted
        }

        // Stopping exports what is left too, but allows it 5 s; a busy machine may need longer. Logs go in batches
        // every 5 s (their provider has no public flush), so the test waits for the ones it looks for, bounded.
        Flush(factory.Services);
        for (var waited = 0; waited < 600 && !Of(ingestion.Received, "MessageData").Any(IsTheWebhookLog); waited++)
        {
            await Task.Delay(100);
        }

        await factory.DisposeAsync();

        // What Production configured (before the test swapped the credential and the transport):
        Assert.NotNull(configured);
        Assert.IsType<ManagedIdentityCredential>(configured.ProductionCredential);
        Assert.Equal(ProductionApi.ConnectionString(ingestion), configured.ConnectionString);

        var envelopes = ingestion.Received.ToList();
        Assert.NotEmpty(envelopes);
        Assert.All(envelopes, e => Assert.Equal("Bearer test-token-for-monitor", e.Authorization));
        Assert.Contains("https://monitor.azure.com//.default", tokens.Scopes);
        Assert.Empty(ingestion.OtherRequests);

        var requests = Of(envelopes, "RequestData");
        Assert.Contains(requests, r => r["url"]?.ToString().EndsWith("/api/v1/plans", StringComparison.Ordinal) == true
            && (string?)r["properties"]?["tenant.id"] == "alpha" && (string?)r["properties"]?["correlation.id"] == "corr-monitor-1");
        Assert.Contains(envelopes, e => (string?)e.Envelope["tags"]?["ai.cloud.role"] == "serverless-api");

        var metrics = Of(envelopes, "MetricData").SelectMany(m => m["metrics"]!.AsArray()).ToList();
        Assert.Contains(metrics, m => (string?)m!["name"] == "webhook.events");

        var logs = Of(envelopes, "MessageData");
        Assert.Contains(logs, IsTheWebhookLog);
        Assert.Contains(logs, l => ((string?)l["message"])?.Contains("Store ready", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Production_without_an_Application_Insights_connection_string_does_not_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiApp.Build(
        [
            "--environment", "Production",
            .. ProductionApi.AzureSettings.Select(kv => $"--{kv.Key}={kv.Value}"),
        ]));

        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Exports the spans and metrics recorded so far, waiting as long as that takes.</summary>
    private static void Flush(IServiceProvider services)
    {
        Assert.True(services.GetRequiredService<TracerProvider>().ForceFlush(60_000));
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(60_000));
    }

    /// <summary>The refused webhook's log line, with the request's scopes (correlation and tenant ids) as properties.</summary>
    private static bool IsTheWebhookLog(JsonNode log) =>
        (string?)log["properties"]?["CorrelationId"] == "corr-monitor-1" && (string?)log["properties"]?["TenantId"] == "alpha";

    private static List<(string, object?)> Tags(MetricPoint point)
    {
        var tags = new List<(string, object?)>();
        foreach (var tag in point.Tags)
        {
            tags.Add((tag.Key, tag.Value));
        }

        return tags;
    }

    private static List<JsonNode> Of(IEnumerable<(string? Authorization, JsonObject Envelope)> envelopes, string baseType) =>
        [.. envelopes.Where(e => (string?)e.Envelope["data"]?["baseType"] == baseType).Select(e => e.Envelope["data"]!["baseData"]!)];

    /// <summary>A collection the in-memory exporters can add to from any thread.</summary>
    private sealed class LockedCollection<T> : System.Collections.ObjectModel.Collection<T>
    {
        private readonly Lock _lock = new();

        public List<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }

    /// <summary>Stands in for the managed identity: hands out a fixed token and records the scopes asked for.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public ConcurrentBag<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
            {
                Scopes.Add(scope);
            }

            return new AccessToken("test-token-for-monitor", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>What the app configured for the exporter, seen before the test replaced its credential.</summary>
    private sealed record ConfiguredExporter(TokenCredential? ProductionCredential, string? ConnectionString);

    /// <summary>
    /// The API app in Production with its Azure settings, and nothing reaching out: the store's lifecycle, tenants and
    /// usage log and the secrets are in-memory stand-ins; the exporter's credential is <see cref="RecordingCredential"/>
    /// and its transport trusts only the local ingestion server. Everything else is Production's own registration.
    /// </summary>
    private sealed class ProductionApi(AzureMonitorIngestion ingestion, TokenCredential credential, Action<ConfiguredExporter> seen) : WebApplicationFactory<Program>
    {
        public static readonly Dictionary<string, string> AzureSettings = new()
        {
            ["Store:Provider"] = "Cosmos",
            ["Cosmos:Endpoint"] = "https://127.0.0.1:9/",
            ["Cosmos:Key"] = Convert.ToBase64String("not-a-key"u8.ToArray()),
            ["Secrets:Provider"] = "KeyVault",
            ["KeyVault:Uri"] = "https://127.0.0.1:9/",
            ["ServiceBus:FullyQualifiedNamespace"] = "127.0.0.1",
            ["Ai:Provider"] = "OpenAI",
            ["Ai:BaseUrl"] = "https://127.0.0.1:9/v1/",
            ["Stripe:BaseUrl"] = "https://127.0.0.1:9/",
            ["Tenants:File"] = TestTenants.WriteFile(),
            ["AZURE_CLIENT_ID"] = "11111111-2222-3333-4444-555555555555",
        };

        public static string ConnectionString(AzureMonitorIngestion ingestion) =>
            $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={ingestion.BaseAddress};LiveEndpoint={ingestion.BaseAddress}";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in AzureSettings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("APPLICATIONINSIGHTS_CONNECTION_STRING", ConnectionString(ingestion));
            builder.UseSetting("Secrets:jwt_signing_key", ApiFactory.SigningKey);
            builder.UseSetting("Secrets:stripe_webhook_secret_alpha", ApiFactory.WebhookSecret);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IStoreLifecycle>();
                services.AddSingleton<IStoreLifecycle, ReadyStore>();
                services.RemoveAll<ITenantStore>();
                services.AddSingleton<ITenantStore, InMemoryTenants>();
                services.RemoveAll<IUsageLogStore>();
                services.AddSingleton<IUsageLogStore, NoUsageLog>();
                services.RemoveAll<ISecretProvider>();
                services.AddSingleton<ISecretProvider, ConfigurationSecretProvider>();
                services.PostConfigure<AzureMonitorExporterOptions>(o =>
                {
                    seen(new ConfiguredExporter(o.Credential, o.ConnectionString));
                    o.Credential = credential;
                    o.Transport = new HttpClientTransport(ingestion.TrustingHandler());
                    o.DisableOfflineStorage = true;
                    o.EnableLiveMetrics = false;
                    // ASP.NET Core's activity source is process-wide: every app other test classes run at the same time
                    // feeds this provider too, and would use up the default 5 sampled traces per second.
                    o.TracesPerSecond = null;
                    o.SamplingRatio = 1.0F;
                });
            });
        }
    }

    private sealed class ReadyStore : IStoreLifecycle
    {
        public Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken) => Task.FromResult(StoreCheck.Ready);

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class InMemoryTenants : ITenantStore
    {
        private readonly ConcurrentDictionary<string, Tenant> _tenants = new();

        public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken) => Task.FromResult(_tenants.GetValueOrDefault(id.Value));

        public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken)
        {
            _tenants[tenant.Id.Value] = tenant;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Tenant>>([.. _tenants.Values.Where(t => after is null || string.CompareOrdinal(t.Id.Value, after.Value.Value) > 0).OrderBy(t => t.Id.Value, StringComparer.Ordinal).Take(max)]);
    }

    private sealed class NoUsageLog : IUsageLogStore
    {
        public Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, Shared.Domain.Common.UserId userId, int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<UsageRecord>>([]);

        public Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, Shared.Domain.Common.UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<UsageRecord>>([]);
    }
}
