using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TestSupport;
using Xunit;

namespace Functions.Workers.Tests;

public sealed class WorkersAppTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment("Testing");
        b.UseSetting("Store:Provider", "Sqlite");
        b.UseSetting("Sqlite:Path", Path.Combine(Path.GetTempPath(), $"workers-{Guid.NewGuid():N}", "w.db"));
        b.UseSetting("Tenants:File", TestTenants.WriteFile());
    });

    [Fact]
    public void The_output_holds_host_json_for_a_non_forwarding_custom_handler()
    {
        var output = Path.GetDirectoryName(typeof(WorkersApp).Assembly.Location)!;
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;

        Assert.Equal("Functions.Workers", (string)host["customHandler"]!["description"]!["defaultExecutablePath"]!);
        Assert.False((bool)host["customHandler"]!["enableForwardingHttpRequest"]!);
        Assert.True(File.Exists(Path.Combine(output, "Functions.Workers")));
    }

    [Fact]
    public async Task The_workers_app_starts_on_the_shared_store_and_reports_healthy()
    {
        using var client = _factory.CreateClient();

        var health = JsonNode.Parse(await client.GetStringAsync("/api/health"))!;

        Assert.Equal("ok", (string)health["status"]!);
    }

    [Fact]
    public async Task An_invocation_of_an_unknown_function_is_refused_with_a_4xx()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync("/NoSuchFunction", new StringContent("{}"));

        Assert.Equal(404, (int)response.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
