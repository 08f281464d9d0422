using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// Start-up against a store that is not ready (containers missing or keyed differently, or no store at all): the app
/// listens anyway, health answers 503 store_not_ready naming what is wrong, requests that need the store answer 503 (not
/// 500), and the app becomes ready by itself once the store is fixed. Retries are configured a few milliseconds apart;
/// every wait is bounded.
/// </summary>
public sealed class StoreStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [CosmosFact]
    public async Task A_missing_container_is_reported_by_health_and_the_app_becomes_ready_once_it_exists()
    {
        var database = $"verify-{Guid.NewGuid():N}";
        using var cosmos = TestCosmosClient.Create();
        var db = (await cosmos.CreateDatabaseAsync(database)).Database;
        foreach (var spec in DeclaredSchema.CosmosContainers().Where(s => s != CosmosContainers.Insights))
        {
            await db.CreateContainerAsync(new ContainerProperties(spec.Name, [.. spec.PartitionKeyPaths]));
        }

        using var factory = new ApiFactory(StoreKind.Cosmos, VerifyOnly(database));
        using var client = factory.Tenant(TestTenants.Alpha);

        var (status, health) = await HealthAsync(client);
        Assert.Equal(503, status);
        Assert.Equal("store_not_ready", (string)health["code"]!);
        Assert.Contains("container 'insights' is missing (expected partition key [/tenantId, /day])", (string)health["detail"]!);
        Assert.DoesNotContain("'users'", (string)health["detail"]!);

        using (var refused = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), action_type = "text_rewrite" }))
        {
            var problem = await ApiCalls.ReadObjectAsync(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("store_not_ready", (string)problem["code"]!);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.False(await TenantSeededAsync(db, TestTenants.Alpha)); // nothing is seeded into a store that is not ready
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health/live")).StatusCode);

        await db.CreateContainerAsync(new ContainerProperties(CosmosContainers.Insights.Name, [.. CosmosContainers.Insights.PartitionKeyPaths]));
        await WaitUntilHealthyAsync(factory, client);

        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), action_type = "text_rewrite" });
        Assert.True((bool)identified["can_use"]!);
        Assert.True(await TenantSeededAsync(db, TestTenants.Alpha));
        Assert.True(factory.Services.GetRequiredService<StoreReadiness>().Status.Attempts >= 2);
    }

    [CosmosFact]
    public async Task A_container_keyed_differently_than_the_code_declares_is_reported()
    {
        var database = $"verify-{Guid.NewGuid():N}";
        using var cosmos = TestCosmosClient.Create();
        var db = (await cosmos.CreateDatabaseAsync(database)).Database;
        foreach (var spec in DeclaredSchema.CosmosContainers())
        {
            string[] paths = spec == CosmosContainers.Usage ? ["/tenantId"] : [.. spec.PartitionKeyPaths];
            await db.CreateContainerAsync(new ContainerProperties(spec.Name, paths));
        }

        using var factory = new ApiFactory(StoreKind.Cosmos, VerifyOnly(database));
        using var client = factory.Tenant(TestTenants.Alpha);

        var (status, health) = await HealthAsync(client);
        using var refused = await client.GetAsync("/api/v1/plans");

        Assert.Equal(503, status);
        Assert.Equal("store_not_ready", (string)health["code"]!);
        Assert.Contains("container 'usage' has partition key [/tenantId], expected [/tenantId, /userId]", (string)health["detail"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("store_not_ready", (string)(await ApiCalls.ReadObjectAsync(refused))["code"]!);
    }

    [Fact]
    public async Task With_an_unreachable_store_the_app_still_answers_liveness_and_health_reports_not_ready()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = $"https://127.0.0.1:{ClosedPort()}/",
            ["Cosmos:Database"] = "unreachable",
            ["Store:Startup:WaitBeforeListening"] = "00:00:00",
            ["Store:Startup:FirstRetryDelay"] = "00:00:00.050",
            ["Store:Startup:MaxRetryDelay"] = "00:00:00.200",
        };
        using var factory = new ApiFactory(StoreKind.Cosmos, settings);
        using var client = factory.Tenant(TestTenants.Alpha);

        using var live = await client.GetAsync("/api/health/live");
        var (status, health) = await HealthAsync(client);
        using var refused = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), action_type = "text_rewrite" });

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(503, status);
        Assert.Equal("store_not_ready", (string)health["code"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("store_not_ready", (string)(await ApiCalls.ReadObjectAsync(refused))["code"]!);

        // The check goes on in the background.
        var readiness = factory.Services.GetRequiredService<StoreReadiness>();
        var deadline = DateTime.UtcNow + Patience;
        while (readiness.Status.Attempts < 2 && DateTime.UtcNow < deadline)
        {
            factory.Clock.Advance(TimeSpan.FromMilliseconds(200)); // past the retry delay, however the clock drives timers
            await Task.Delay(50);
        }

        Assert.True(readiness.Status.Attempts >= 2, $"the store was checked {readiness.Status.Attempts} times");
        Assert.Equal(StoreState.NotReady, readiness.Status.State);
        Assert.Contains("the store could not be reached", (await HealthAsync(client)).Body["detail"]!.ToString());
    }

    private static Dictionary<string, string?> VerifyOnly(string database) => new()
    {
        ["Cosmos:Database"] = database,
        ["Cosmos:CreateIfMissing"] = "false",
        ["Store:Startup:FirstRetryDelay"] = "00:00:00.050",
        ["Store:Startup:MaxRetryDelay"] = "00:00:00.200",
    };

    private static async Task<(int Status, JsonObject Body)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/health");
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }

    /// <summary>Polls health until 200, moving the test clock past each retry delay (bounded).</summary>
    private static async Task WaitUntilHealthyAsync(ApiFactory factory, HttpClient client)
    {
        var deadline = DateTime.UtcNow + Patience;
        var (status, body) = await HealthAsync(client);
        while (status != 200 && DateTime.UtcNow < deadline)
        {
            factory.Clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(25);
            (status, body) = await HealthAsync(client);
        }

        Assert.True(status == 200, $"health stayed {status}: {body.ToJsonString()}");
    }

    /// <summary>Whether the tenant's document is in the store (the app writes it as id "tenant" in the tenant's partition).</summary>
    private static async Task<bool> TenantSeededAsync(Database db, string tenant)
    {
        using var read = await db.GetContainer(CosmosContainers.Tenants.Name).ReadItemStreamAsync("tenant", new PartitionKey(tenant));
        return read.IsSuccessStatusCode;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }
}

/// <summary>A client of the test Cosmos server for arranging databases and containers the app must find.</summary>
internal static class TestCosmosClient
{
    public static CosmosClient Create() => new(CosmosTestSettings.Endpoint, CosmosTestSettings.Key, new CosmosClientOptions
    {
        ConnectionMode = ConnectionMode.Gateway,
        LimitToEndpoint = true,
#pragma warning disable CA2000, CA5359 // owned by the HttpClient; the loopback test server's certificate is self-signed
        HttpClientFactory = () => new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }),
#pragma warning restore CA2000, CA5359
    });
}
