using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;

namespace Functions.Api.Tests;

/// <summary>
/// Signing a new test user in through the API, written once: identify a fresh installation, then send a bearer token on
/// every request of the returned client (the one identify answered, or one of a chosen role issued by the app's own
/// issuer for roles identify never grants).
/// </summary>
public static class ApiSignIn
{
    /// <summary>A new user of <paramref name="tenant"/> (identify with <paramref name="identifyBody"/>), its client sending identify's access token, and identify's answer.</summary>
    public static async Task<(HttpClient Client, JsonObject Identified)> IdentifiedClientAsync(this ApiFactory factory, string tenant, object identifyBody)
    {
        var client = factory.Tenant(tenant);
        var identified = await client.IdentifyOkAsync(identifyBody);
        client.UseBearer((string)identified["access_token"]!);
        return (client, identified);
    }

    /// <summary>A new user of <paramref name="tenant"/> and its client sending a token of <paramref name="role"/> for them.</summary>
    public static async Task<(HttpClient Client, UserId User)> CallerAsync(this ApiFactory factory, string tenant, Role role)
    {
        var client = factory.Tenant(tenant);
        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = await factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse(tenant), user, role, default);
        client.UseBearer(token.Value);
        return (client, user);
    }

    public static void UseBearer(this HttpClient client, string token) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
