using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace EndToEnd.Tests;

/// <summary>
/// The README's "try linking" steps against the API as a real process in Development: its local stand-in issuer signs
/// an ID token, and the app fetches its own discovery document and keys over 127.0.0.1 to check it.
/// </summary>
public sealed class LocalIssuerProcessTests
{
    [Fact]
    public async Task Two_installations_signed_in_through_the_local_issuer_are_one_user_and_a_bare_email_is_not()
    {
        var port = AppProcess.FreePort();
        var issuer = $"http://127.0.0.1:{port}/api/dev/oidc";
        var tenants = Path.Combine(Path.GetTempPath(), $"issuer-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(tenants, $$"""
            { "tenants": [ { "id": "demo", "name": "Demo", "upgrade_url": "http://127.0.0.1:{{port}}/api/v1/tenants/demo/pricing?token={link_token}",
              "identity_provider": { "issuer": "{{issuer}}", "audiences": ["local-demo-extension"] },
              "plans": [ { "id": "free", "name": "Free", "hits_limit": 10, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true } ] } ] }
            """);
        await using var api = await AppProcess.StartAsync("Functions.Api", new Dictionary<string, string>
        {
            ["Store__Provider"] = "Sqlite",
            ["Sqlite__Path"] = Path.Combine(Path.GetTempPath(), $"issuer-{Guid.NewGuid():N}", "i.db"),
            ["Tenants__File"] = tenants,
            ["Secrets__jwt_signing_key"] = "issuer-test-signing-key-0123456789abcdef0123",
            ["Payments__Provider"] = "Sandbox",
        }, port);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Tenant-ID", "demo");

        async Task<JsonNode> Post(string path, object body)
        {
            using var response = await http.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }

        var idToken = (string)(await Post("api/dev/oidc/token", new { email = "me@example.com" }))["id_token"]!;
        var laptop = await Post("api/v1/users/identify", new { extension_id = "laptop", id_token = idToken });
        var desktop = await Post("api/v1/users/identify", new { extension_id = "desktop", id_token = idToken });
        var stranger = await Post("api/v1/users/identify", new { extension_id = "stranger", email = "me@example.com" });

        Assert.Equal((string)laptop["user_id"]!, (string)desktop["user_id"]!);
        Assert.Equal(8, (int)desktop["hits_remaining"]!);
        Assert.NotEqual((string)laptop["user_id"]!, (string)stranger["user_id"]!);
    }
}
