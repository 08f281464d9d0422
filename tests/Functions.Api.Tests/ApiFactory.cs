using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shared.Infrastructure.Stripe;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

public enum StoreKind
{
    Sqlite,
    Cosmos,
}

/// <summary>The API app in memory, on a chosen store, with a clock the test controls.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "api-tests-signing-key-0123456789abcdef0123456789";
    public const string WebhookSecret = "whsec_api_tests_alpha";

    private readonly Dictionary<string, string?> _settings;

    private readonly string _environment;

    public ApiFactory(StoreKind store, IDictionary<string, string?>? overrides = null, string environment = "Testing")
    {
        Store = store;
        _environment = environment;
        SqlitePath = Path.Combine(Path.GetTempPath(), $"api-tests-{Guid.NewGuid():N}", "api.db");
        _settings = store == StoreKind.Sqlite
            ? new() { ["Store:Provider"] = "Sqlite", ["Sqlite:Path"] = SqlitePath }
            : CosmosTestSettings.Settings($"api-{Guid.NewGuid():N}");
        _settings["Tenants:File"] = TestTenants.WriteFile();
        _settings["DataSharing:Export:Folder"] = Path.Combine(Path.GetDirectoryName(SqlitePath)!, "data-sharing-releases");
        _settings["Secrets:jwt_signing_key"] = SigningKey;
        _settings["Secrets:stripe_webhook_secret_alpha"] = WebhookSecret;
        _settings["RateLimits:NewInstallations:PermitsPerWindow"] = "100000";
        _settings["Telemetry:Exporter"] = "None";
        _settings["RateLimits:Requests:PerTenantPerSecond"] = "1000000";
        _settings["RateLimits:Requests:PerCallerPerMinute"] = "1000000";
        _settings["Store:Startup:WaitBeforeListening"] = "00:00:30"; // a slow first check on a busy machine must not race the first request
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public StoreKind Store { get; }

    public string SqlitePath { get; }

    /// <summary>Starts on a Monday morning; tests move it.</summary>
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    static ApiFactory()
    {
        // Each in-memory app would otherwise hold inotify watches (config reload, static files); dozens of test apps in
        // one process exceed the per-user limit of 128 instances.
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestPeerAddress>();

            // The payment sandbox posts to the app's own webhook: here the in-memory test server.
            services.RemoveAll<ISandboxWebhookTransport>();
            services.AddSingleton<ISandboxWebhookTransport>(_ => new TestServerTransport(this));
        });
    }

    public HttpClient Tenant(string tenant)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Tenant-ID", tenant);
        return client;
    }

    /// <summary>A client of the tenant whose requests come from the given address (see <see cref="TestPeerAddress"/>).</summary>
    public HttpClient Tenant(string tenant, string peer)
    {
        var client = Tenant(tenant);
        client.DefaultRequestHeaders.Add(TestPeerAddress.Header, peer);
        return client;
    }
}

public static class ApiCalls
{
    public static Task<HttpResponseMessage> IdentifyAsync(this HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/users/identify", body);

    public static async Task<JsonObject> IdentifyOkAsync(this HttpClient client, object body)
    {
        using var response = await client.IdentifyAsync(body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"identify answered {(int)response.StatusCode}: {json}");
        return JsonNode.Parse(json)!.AsObject();
    }

    public static async Task<(int Status, JsonObject Body)> GetQuotaAsync(this HttpClient client, string userId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{Uri.EscapeDataString(userId)}/quota");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await ReadObjectAsync(response));
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text) is JsonObject o ? o : throw new JsonException($"Not an object: {text}");
    }

    public static string NewExtensionId() => $"ext-{Guid.NewGuid():N}";
}

/// <summary>One app per store per test class; Cosmos is created only when a Cosmos server is configured.</summary>
public sealed class SqliteApi : IDisposable
{
    public ApiFactory Factory { get; } = new(StoreKind.Sqlite);

    public void Dispose() => Factory.Dispose();
}

public sealed class CosmosApi : IDisposable
{
    private ApiFactory? _factory;

    public ApiFactory Factory => _factory ??= new ApiFactory(StoreKind.Cosmos);

    public void Dispose() => _factory?.Dispose();
}

/// <summary>Delivers the sandbox's webhook posts to the in-memory server, created on first use (not while building it).</summary>
public sealed class TestServerTransport(ApiFactory factory) : ISandboxWebhookTransport
{
    public Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature, CancellationToken cancellationToken) =>
        new HttpSandboxTransport(factory.Server.CreateClient()).PostAsync(path, body, signature, cancellationToken);
}
