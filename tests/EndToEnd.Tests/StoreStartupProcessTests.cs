using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using TestSupport;
using Xunit;

namespace EndToEnd.Tests;

/// <summary>
/// Both apps as real processes (Kestrel on the port the host gives) against a Cosmos DB endpoint nothing listens on:
/// they listen anyway, answer liveness, report the store as not ready, and keep running and checking.
/// </summary>
public sealed class StoreStartupProcessTests
{
    private static Dictionary<string, string> UnreachableCosmos() => new()
    {
        ["Store__Provider"] = "Cosmos",
        ["Cosmos__Endpoint"] = $"https://127.0.0.1:{ClosedPort()}/",
        ["Cosmos__Key"] = CosmosTestSettings.Key,
        ["Cosmos__ConnectionMode"] = "Gateway",
        ["Cosmos__AcceptEmulatorCertificate"] = "true",
        ["Cosmos__Database"] = "unreachable",
        ["Store__Startup__FirstRetryDelay"] = "00:00:00.100",
        ["Store__Startup__MaxRetryDelay"] = "00:00:00.500",
        ["Sqlite__Path"] = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "queue.db"),
        ["Tenants__File"] = TestTenants.WriteFile(),
        ["Secrets__jwt_signing_key"] = "end-to-end-signing-key-0123456789abcdef012345",
    };

    [Fact]
    public async Task With_an_unreachable_store_the_api_listens_answers_liveness_and_reports_not_ready()
    {
        await using var api = await AppProcess.StartAsync("Functions.Api", UnreachableCosmos(), readyPath: "api/health/live");
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);

        await WaitForSecondCheckAsync(api);
        using var health = await client.GetAsync("api/health");
        var problem = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        using var identify = await client.PostAsync("api/v1/users/identify", new StringContent("""{"extension_id":"e2e-unreachable"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("store_not_ready", (string)problem["code"]!);
        Assert.Contains("the store could not be reached", (string)problem["detail"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, identify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health/live")).StatusCode);
        Assert.False(api.HasExited, api.Output);
    }

    [Fact]
    public async Task With_an_unreachable_store_the_workers_health_function_answers_503_through_the_invocation()
    {
        await using var workers = await AppProcess.StartAsync("Functions.Workers", UnreachableCosmos(), readyStatus: HttpStatusCode.ServiceUnavailable);
        using var client = new HttpClient { BaseAddress = workers.BaseAddress };

        await WaitForSecondCheckAsync(workers);
        using var invoked = await client.PostAsync("Health", new StringContent("""{"Data":{"req":{"Url":"https://w.example/api/health","Method":"GET","Query":{},"Headers":{},"Params":{}}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var res = JsonNode.Parse(await invoked.Content.ReadAsStringAsync())!["Outputs"]!["res"]!;

        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode); // the invocation succeeded; the HTTP answer it carries is 503
        Assert.Equal("503", (string)res["statusCode"]!);
        Assert.Equal("store_not_ready", (string)JsonNode.Parse((string)res["body"]!)!["code"]!);
        Assert.False(workers.HasExited, workers.Output);
    }

    /// <summary>Waits (bounded) until the app has logged a second failed check: it keeps checking, it did not crash.</summary>
    private static async Task WaitForSecondCheckAsync(AppProcess app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!app.Output.Contains("Store not ready (check 2)", StringComparison.Ordinal) && !app.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(app.Output.Contains("Store not ready (check 2)", StringComparison.Ordinal), app.Output);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }
}
