using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Functions.Api.Tests;

public sealed class CorsTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private const string Extension = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var client = api.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/users/identify");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-tenant-id");
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> IdentifyFromAsync(string tenant, string origin)
    {
        using var client = api.Factory.Tenant(tenant);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/identify") { Content = JsonContent.Create(new { extension_id = ApiCalls.NewExtensionId() }) };
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_preflight_from_a_configured_origin_is_allowed()
    {
        using var response = await PreflightAsync(Extension);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Extension, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("X-Tenant-ID", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preflight_from_an_unknown_origin_gets_no_cors_headers()
    {
        using var response = await PreflightAsync("https://evil.example");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_request_is_readable_only_by_its_own_tenants_origins()
    {
        using var own = await IdentifyFromAsync("alpha", Extension);
        using var otherTenantsSite = await IdentifyFromAsync("alpha", "https://beta.example");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(Extension, own.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(otherTenantsSite.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("GET", "/api/v1/tenants/alpha/pricing")]
    [InlineData("POST", "/api/v1/webhooks/stripe/alpha")]
    public async Task CORS_follows_the_tenant_the_route_names(string method, string path)
    {
        // The page of tenant beta names its own tenant in the header, but the route serves alpha's answer.
        using var betaPage = await FromAsync(method, path, header: "beta", origin: "https://beta.example");
        using var alphaPage = await FromAsync(method, path, header: "beta", origin: "https://alpha.example");

        Assert.False(betaPage.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("https://alpha.example", alphaPage.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Without_a_tenant_in_the_route_CORS_follows_the_header()
    {
        using var beta = await FromAsync("GET", "/api/v1/plans", header: "beta", origin: "https://beta.example");
        using var alphaOrigin = await FromAsync("GET", "/api/v1/plans", header: "beta", origin: "https://alpha.example");

        Assert.Equal(HttpStatusCode.OK, beta.StatusCode);
        Assert.Equal("https://beta.example", beta.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(alphaOrigin.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> FromAsync(string method, string path, string header, string origin)
    {
        using var client = api.Factory.Tenant(header);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }
}
