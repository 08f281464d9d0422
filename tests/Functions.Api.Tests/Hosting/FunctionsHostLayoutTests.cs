using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// The Functions host only forwards requests whose route some function.json declares. These tests read the API app's
/// build output as the host would and check it against the routes the app actually maps.
/// </summary>
public sealed partial class FunctionsHostLayoutTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly string OutputDirectory = Path.GetDirectoryName(typeof(ApiApp).Assembly.Location)!;

    [Fact]
    public void The_output_holds_host_json_configured_for_a_forwarding_custom_handler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(OutputDirectory, "host.json")))!;

        Assert.Equal("2.0", (string)host["version"]!);
        Assert.Equal("Functions.Api", (string)host["customHandler"]!["description"]!["defaultExecutablePath"]!);
        Assert.True((bool)host["customHandler"]!["enableForwardingHttpRequest"]!);

        // Deliberately not the newer proxying mode: a host version that does not know the setting ignores it, and every
        // HTTP request would then arrive as an invocation payload the app does not route (ADR 1 has the reasons).
        Assert.False(host["customHandler"]!.AsObject().ContainsKey("enableProxyingHttpRequest"), "enableProxyingHttpRequest: see ADR 1 before switching");
        Assert.Equal("api", (string)host["extensions"]!["http"]!["routePrefix"]!);
        Assert.True(File.Exists(Path.Combine(OutputDirectory, "Functions.Api")), "the executable host.json names is missing");
    }

    [Fact]
    public void Every_function_has_exactly_one_http_trigger_and_one_http_output()
    {
        var functions = Functions();

        Assert.NotEmpty(functions);
        foreach (var (name, bindings) in functions)
        {
            Assert.Single(bindings, b => (string)b["type"]! == "httpTrigger" && (string)b["direction"]! == "in");
            Assert.Single(bindings, b => (string)b["type"]! == "http" && (string)b["direction"]! == "out");
            Assert.True(bindings.Count == 2, $"{name} has bindings besides its trigger and output, so the host would not forward it");
        }
    }

    [Fact]
    public void Every_route_the_app_maps_is_declared_by_a_function()
    {
        var declared = Functions()
            .Select(f => f.Bindings.Single(b => (string)b["type"]! == "httpTrigger"))
            .Select(t => (Route: Normalize("api/" + (string)t["route"]!), Methods: t["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()).ToHashSet()))
            .ToList();
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: Normalize(e.RoutePattern.RawText!), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();

        Assert.NotEmpty(mapped);
        foreach (var (route, methods) in mapped)
        {
            Assert.True(methods.Count > 0, $"{route} accepts any method; declare the methods it needs");
            foreach (var method in methods)
            {
                Assert.True(declared.Any(d => d.Route == route && d.Methods.Contains(method)), $"{method} {route} is mapped by the app but no function.json declares it");
            }
        }
    }

    [Fact]
    public async Task The_openapi_document_and_the_docs_page_are_served()
    {
        using var client = api.Factory.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/api/openapi/v1.json"))!;
        using var docs = await client.GetAsync("/api/docs/index.html");

        Assert.NotNull(document["paths"]!["/api/v1/users/identify"]);
        Assert.NotNull(document["paths"]!["/api/v1/users/{user_id}/quota"]);
        Assert.True(docs.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Health_answers_ok_when_the_store_answers()
    {
        using var client = api.Factory.CreateClient();

        Assert.Equal("ok", (string)JsonNode.Parse(await client.GetStringAsync("/api/health"))!["status"]!);
        Assert.Equal("ok", await client.GetStringAsync("/api/health/live"));
    }

    private static List<(string Name, List<JsonNode> Bindings)> Functions() =>
        [.. Directory.GetDirectories(OutputDirectory)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => (Path.GetFileName(d), JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!["bindings"]!.AsArray().Select(b => b!).ToList()))];

    /// <summary>Route templates compared by shape: parameter names, constraints and a leading slash do not matter.</summary>
    private static string Normalize(string template) => ParameterPattern().Replace(template.TrimStart('/'), m => m.Value.StartsWith("{*", StringComparison.Ordinal) ? "{*}" : "{}").ToLowerInvariant();

    [GeneratedRegex(@"\{\*?[^}]+\}")]
    private static partial Regex ParameterPattern();
}
