using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TestSupport;
using Xunit;

namespace EndToEnd.Tests;

/// <summary>Both apps as real processes, started the way the Functions host starts a custom handler.</summary>
public sealed class CustomHandlerProcessTests
{
    /// <summary>127.0.0.1 and ::1 as /proc/net/tcp and tcp6 print them.</summary>
    private static readonly string[] LoopbackAddresses = ["0100007F", "00000000000000000000000001000000"];

    private static Dictionary<string, string> Settings(string database) => new()
    {
        ["Store__Provider"] = "Sqlite",
        ["Sqlite__Path"] = database,
        ["Tenants__File"] = TestTenants.WriteFile(),
        ["Secrets__jwt_signing_key"] = "end-to-end-signing-key-0123456789abcdef012345",
    };

    [Fact]
    public async Task The_api_listens_on_the_port_the_host_gives_and_serves_identify()
    {
        var database = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "e2e.db");
        await using var api = await AppProcess.StartAsync("Functions.Api", Settings(database));
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Tenant-ID", "alpha");

        using var response = await client.PostAsJsonAsync("api/v1/users/identify", new { extension_id = "e2e-extension", action_type = "text_rewrite" });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body["can_use"]!);
        Assert.Equal(9, (int)body["hits_remaining"]!);
        Assert.True(File.Exists(database), "the embedded store's file was not created where configured");
    }

    [Fact]
    public async Task The_api_and_the_workers_share_the_embedded_store_file()
    {
        var database = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "shared.db");
        await using var api = await AppProcess.StartAsync("Functions.Api", Settings(database));
        await using var workers = await AppProcess.StartAsync("Functions.Workers", Settings(database));
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Tenant-ID", "beta");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsJsonAsync("api/v1/users/identify", new { extension_id = "shared-store" })));
        using var workersHealth = await new HttpClient { BaseAddress = workers.BaseAddress }.GetAsync("api/health");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.OK, workersHealth.StatusCode);
    }

    [Fact]
    public async Task A_feature_request_submitted_over_http_is_completed_by_the_workers_on_local_defaults()
    {
        // What ./run.sh runs: both apps on one embedded store, the embedded queue, the offline AI provider, and the
        // workers' local trigger loop standing in for the Functions host.
        var database = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "features.db");
        await using var api = await AppProcess.StartAsync("Functions.Api", Settings(database));
        var workerSettings = Settings(database);
        workerSettings["LocalTriggers__Enabled"] = "true";
        await using var workers = await AppProcess.StartAsync("Functions.Workers", workerSettings);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Tenant-ID", "alpha");
        var identity = JsonNode.Parse(await (await client.PostAsJsonAsync("api/v1/users/identify", new { extension_id = "e2e-features" })).Content.ReadAsStringAsync())!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)identity["access_token"]!);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var submitted = await client.PostAsJsonAsync("api/v1/features/requests", new { request_text = "Add a dark mode toggle" });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        JsonNode polled;
        do
        {
            await Task.Delay(50);
            polled = JsonNode.Parse(await client.GetStringAsync(submitted.Headers.Location))!;
        }
        while ((string)polled["status"]! is "pending" or "processing" && watch.Elapsed < TimeSpan.FromSeconds(15));

        Assert.True((string)polled["status"]! == "completed", $"status {(string)polled["status"]!} after {watch.Elapsed}; workers log:\n{workers.Output}");
        Assert.Equal("offline", (string)polled["generated_by"]!);
        Assert.StartsWith("// OFFLINE PROVIDER", (string)polled["generated_code"]!, StringComparison.Ordinal);
        Console.WriteLine($"end-to-end feature request latency: {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task The_api_refuses_the_embedded_store_in_production()
    {
        var database = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "prod.db");
        var settings = Settings(database);
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppProcess.StartAsync("Functions.Api", settings));

        Assert.Contains("refused in the Production environment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_listens_on_loopback_only()
    {
        var database = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}", "lo.db");
        await using var api = await AppProcess.StartAsync("Functions.Api", Settings(database));

        // Every listening socket on the app's port, as the kernel reports it (local address "IP:PORT" in hex, state 0A).
        var port = api.Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var listeners = (await File.ReadAllLinesAsync("/proc/net/tcp")).Concat(File.Exists("/proc/net/tcp6") ? await File.ReadAllLinesAsync("/proc/net/tcp6") : [])
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[3] == "0A" && f[1].EndsWith(":" + port, StringComparison.Ordinal))
            .Select(f => f[1][..f[1].LastIndexOf(':')])
            .ToList();

        Assert.NotEmpty(listeners);
        Assert.All(listeners, address => Assert.Contains(address, LoopbackAddresses));
    }
}
