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
}
