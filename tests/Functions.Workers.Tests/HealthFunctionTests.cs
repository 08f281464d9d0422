using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Functions.Workers.Local;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>
/// The workers' health as the Functions host reaches it: an HTTP function (functions/Health/function.json) invoked
/// without HTTP forwarding, so the host POSTs /Health with the request in Data.req and reads the answer from Outputs.res.
/// </summary>
public sealed class HealthFunctionTests : IDisposable
{
    private static readonly string Output = Path.GetDirectoryName(typeof(WorkersApp).Assembly.Location)!;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly StoreScript _store = new();
    private readonly WebApplicationFactory<Program> _factory;

    public HealthFunctionTests()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("Store:Provider", "Sqlite");
            b.UseSetting("Sqlite:Path", Path.Combine(Path.GetTempPath(), $"workers-{Guid.NewGuid():N}", "w.db"));
            b.UseSetting("Tenants:File", TestTenants.WriteFile());
            b.UseSetting("LocalTriggers:Enabled", "false");
            b.UseSetting("Telemetry:Exporter", "None");
            b.UseSetting("Store:Startup:FirstRetryDelay", "00:00:00.020");
            b.UseSetting("Store:Startup:MaxRetryDelay", "00:00:00.100");
            b.ConfigureServices(services =>
            {
                // The real embedded store behind a switch that can make its start-up check fail.
                var original = services.Single(d => d.ServiceType == typeof(IStoreLifecycle));
                services.Remove(original);
                services.AddSingleton<IStoreLifecycle>(sp => new ScriptedLifecycle((IStoreLifecycle)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!), _store));
            });
        });
    }

    /// <summary>The request the current host sends (HttpRequestExtensions.GetRequestAsJObject): Query an object, header values arrays.</summary>
    private const string HostPayload = """
        {
          "Data": {
            "req": {
              "Url": "https://serverless-workers.azurewebsites.net/api/health",
              "Method": "GET",
              "Query": {},
              "Headers": { "Accept": ["application/json"], "User-Agent": ["curl/8.5.0"], "X-Forwarded-For": ["203.0.113.7:51234"] },
              "Params": {},
              "Identities": [{ "AuthenticationType": null, "IsAuthenticated": false, "Actor": null, "BootstrapContext": null, "Claims": [], "Label": null, "Name": null, "NameClaimType": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "RoleClaimType": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" }]
            }
          },
          "Metadata": {
            "Query": {},
            "Headers": { "Accept": "application/json", "User-Agent": "curl/8.5.0" },
            "sys": { "MethodName": "Health", "UtcNow": "2026-11-23T09:00:00.0000000Z", "RandGuid": "5f0ad3c5-8a51-4a0e-9f55-6d7f3c4ab0a1" }
          }
        }
        """;

    /// <summary>The shape the custom handler documentation shows (older hosts): Query as JSON text, no Identities.</summary>
    private const string DocumentedPayload = """
        {"Data":{"req":{"Url":"http://localhost:7071/api/health","Method":"GET","Query":"{}","Headers":{"Accept":["*/*"]},"Params":{}}},"Metadata":{}}
        """;

    [Fact]
    public void The_health_function_is_declared_as_an_anonymous_get_on_route_health_with_an_http_output()
    {
        var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, HealthFunction.Name, "function.json")))!["bindings"]!.AsArray();

        Assert.Equal(2, bindings.Count);
        var trigger = bindings.Single(b => (string)b!["type"]! == "httpTrigger")!;
        Assert.Equal("in", (string)trigger["direction"]!);
        Assert.Equal(HealthFunction.RequestBinding, (string)trigger["name"]!);
        Assert.Equal("health", (string)trigger["route"]!); // /api/health with the host's default route prefix
        Assert.Equal("anonymous", (string)trigger["authLevel"]!);
        Assert.Equal(["get"], trigger["methods"]!.AsArray().Select(m => (string)m!));
        var output = bindings.Single(b => (string)b!["type"]! == "http")!;
        Assert.Equal("out", (string)output["direction"]!);
        Assert.Equal(HealthFunction.ResponseBinding, (string)output["name"]!);
    }

    [Fact]
    public void The_local_trigger_loop_skips_http_functions()
    {
        var functions = FunctionCatalog.Load(Output);
        var declared = Directory.GetDirectories(Output).Count(d => File.Exists(Path.Combine(d, "function.json")));

        Assert.DoesNotContain(functions, f => f.Name == HealthFunction.Name);
        Assert.Equal(declared - 1, functions.Count); // every other function: a queue or a timer
        Assert.All(functions, f => Assert.True(f.QueueName is not null || f.Cron is not null, f.Name));
    }

    [Theory]
    [InlineData(HostPayload)]
    [InlineData(DocumentedPayload)]
    public async Task An_invocation_as_the_host_sends_it_is_answered_with_the_health_in_outputs_res(string payload)
    {
        var (status, answer) = await InvokeAsync(payload);

        Assert.Equal(200, status);
        var res = answer["Outputs"]!["res"]!;
        Assert.Equal("200", (string)res["statusCode"]!);
        Assert.Equal("ok", (string)JsonNode.Parse((string)res["body"]!)!["status"]!);
        Assert.Equal("application/json", (string)res["headers"]!["Content-Type"]!);
        Assert.Equal(["health: 200"], answer["Logs"]!.AsArray().Select(l => (string)l!));
        Assert.True(answer.AsObject().ContainsKey("ReturnValue"));
        Assert.Null(answer["ReturnValue"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Data":{}}""")]
    [InlineData("""{"Data":{"req":"GET /api/health"}}""")]
    [InlineData("""{"Data":{"req":{"Url":"http://localhost/api/health"}}}""")]
    [InlineData("""{"Data":{"req":{"Method":42}}}""")]
    [InlineData("not json")]
    public async Task An_invocation_without_an_http_request_is_refused_with_a_4xx(string payload)
    {
        var (status, answer) = await InvokeAsync(payload);

        Assert.Equal(400, status);
        Assert.NotEmpty(answer["Logs"]!.AsArray());
    }

    [Fact]
    public async Task A_method_other_than_get_is_answered_405_inside_the_output()
    {
        var (status, answer) = await InvokeAsync(HostPayload.Replace("\"Method\": \"GET\"", "\"Method\": \"DELETE\"", StringComparison.Ordinal));

        Assert.Equal(200, status);
        Assert.Equal("405", (string)answer["Outputs"]!["res"]!["statusCode"]!);
    }

    [Fact]
    public async Task While_the_store_is_not_ready_health_is_503_inside_a_successful_invocation_and_functions_answer_503()
    {
        _store.Problem = "container 'users' is missing (expected partition key [/tenantId, /userId])";
        using var client = _factory.CreateClient();

        var (status, answer) = await InvokeAsync(HostPayload);
        using var timer = await client.PostAsync($"/{WorkerFunctions.FeatureRequestSweep}", new StringContent(WorkersHost.HostTimerPayload(WorkerFunctions.FeatureRequestSweep), Encoding.UTF8, "application/json"));
        using var local = await client.GetAsync("/api/health");

        // The invocation succeeds, so the host answers the caller with the 503 the output carries (not its own 500).
        Assert.Equal(200, status);
        var res = answer["Outputs"]!["res"]!;
        Assert.Equal("503", (string)res["statusCode"]!);
        Assert.Equal("application/problem+json", (string)res["headers"]!["Content-Type"]!);
        Assert.NotNull(res["headers"]!["Retry-After"]);
        var problem = JsonNode.Parse((string)res["body"]!)!;
        Assert.Equal("store_not_ready", (string)problem["code"]!);
        Assert.Contains("container 'users' is missing", (string)problem["detail"]!);

        // Other functions are refused with 503 (the host retries them), not failed with a 500.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, timer.StatusCode);
        Assert.Equal("store_not_ready", (string)JsonNode.Parse(await timer.Content.ReadAsStringAsync())!["code"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, local.StatusCode);

        _store.Problem = null;
        var deadline = DateTime.UtcNow + Patience;
        while ((string)(await InvokeAsync(HostPayload)).Answer["Outputs"]!["res"]!["statusCode"]! != "200" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal("200", (string)(await InvokeAsync(HostPayload)).Answer["Outputs"]!["res"]!["statusCode"]!);
        using var timerAgain = await client.PostAsync($"/{WorkerFunctions.FeatureRequestSweep}", new StringContent(WorkersHost.HostTimerPayload(WorkerFunctions.FeatureRequestSweep), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, timerAgain.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<(int Status, JsonNode Answer)> InvokeAsync(string payload)
    {
        using var client = _factory.CreateClient();
        using var response = await client.PostAsync($"/{HealthFunction.Name}", new StringContent(payload, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private sealed class StoreScript
    {
        public volatile string? Problem;
    }

    private sealed class ScriptedLifecycle(IStoreLifecycle inner, StoreScript script) : IStoreLifecycle
    {
        public async Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken) =>
            script.Problem is { } problem ? new StoreCheck([problem]) : await inner.InitializeAsync(cancellationToken);

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => inner.IsHealthyAsync(cancellationToken);
    }
}
