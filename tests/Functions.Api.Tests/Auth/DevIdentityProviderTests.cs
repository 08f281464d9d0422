using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// The Development environment with tenants alpha and beta trusting the app's own local issuer; the app's OIDC client
/// reaches the in-memory server, as a real one reaches itself on 127.0.0.1 under ./run.sh.
/// </summary>
public sealed class SelfIssuingApi : ApiFactory
{
    public const string IssuerUrl = "http://localhost/api/dev/oidc";

    public SelfIssuingApi()
        : base(StoreKind.Sqlite, new Dictionary<string, string?> { ["DevIdentityProvider:Issuer"] = IssuerUrl, ["Tenants:File"] = TestTenants.WriteFile(IssuerUrl) }, environment: "Development")
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddHttpClient(OidcIdTokenVerifier.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler()));
    }
}

public sealed class DevIdentityProviderTests(SelfIssuingApi factory) : IClassFixture<SelfIssuingApi>
{
    private async Task<string> MintAsync(string email, bool verified = true)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/dev/oidc/token", new { email, email_verified = verified, audience = TestTenants.OidcAudience });
        var body = await ApiCalls.ReadObjectAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return (string)body["id_token"]!;
    }

    [Fact]
    public async Task The_local_issuer_lets_a_second_installation_join_by_a_signed_id_token()
    {
        var client = factory.Tenant("alpha");
        var email = $"newcomer-{Guid.NewGuid():N}@example.com";

        var laptop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = await MintAsync(email) });
        var desktop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = await MintAsync(email) });
        using var unverified = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = await MintAsync(email, verified: false) });

        Assert.Equal((string)laptop["user_id"]!, (string)desktop["user_id"]!);
        Assert.Equal(8, (int)desktop["hits_remaining"]!);
        Assert.Equal(401, (int)unverified.StatusCode);
        var user = await factory.Services.GetRequiredService<IUserDirectory>().GetAsync(TenantId.Parse("alpha"), UserId.Parse((string)laptop["user_id"]!), default);
        Assert.Equal(email, user!.VerifiedEmail!.Value.Value);
    }

    [Fact]
    public async Task The_local_issuer_publishes_a_discovery_document_and_its_key()
    {
        using var client = factory.CreateClient();

        var discovery = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/dev/oidc/.well-known/openid-configuration");
        var jwks = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/dev/oidc/jwks");
        using var badEmail = await client.PostAsJsonAsync("/api/dev/oidc/token", new { email = "not an email" });

        Assert.Equal(SelfIssuingApi.IssuerUrl, (string)discovery!["issuer"]!);
        Assert.Equal(SelfIssuingApi.IssuerUrl + "/jwks", (string)discovery["jwks_uri"]!);
        Assert.Equal("RSA", (string)jwks!["keys"]![0]!["kty"]!);
        Assert.False(jwks["keys"]![0]!.AsObject().ContainsKey("d")); // the public half only
        Assert.Equal(400, (int)badEmail.StatusCode);
    }
}

/// <summary>The local issuer signs a token for any email: it must exist in Development only.</summary>
public sealed class DevIdentityProviderAbsenceTests
{
    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Testing", false)]
    [InlineData("Development", true)]
    public void The_local_issuer_is_available_in_development_only(string environment, bool available) =>
        Assert.Equal(available, Functions.Api.Auth.DevIdentityProvider.IsAvailableIn(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment }));

    [Fact]
    public async Task The_production_app_maps_no_development_endpoint()
    {
        // Production refuses every local adapter, so this app names remote ones; nothing here calls them (the store
        // check fails in the background, which the app survives by design).
        using var production = new ApiFactory(
            StoreKind.Sqlite,
            new Dictionary<string, string?>
            {
                ["Store:Provider"] = "Cosmos",
                ["Cosmos:Endpoint"] = "https://127.0.0.1:9/",
                ["Cosmos:Key"] = CosmosTestSettings.Key,
                ["Cosmos:CreateIfMissing"] = "false",
                ["Secrets:Provider"] = "KeyVault",
                ["KeyVault:Uri"] = "https://unused.vault.azure.net/",
                ["Payments:Provider"] = "Stripe",
                ["Queue:Provider"] = "ServiceBus",
                ["ServiceBus:FullyQualifiedNamespace"] = "unused.servicebus.windows.net",
                ["Ai:Provider"] = "OpenAI",
                ["Store:Startup:WaitBeforeListening"] = "00:00:00",
            },
            environment: "Production");
        using var client = production.CreateClient();

        using var jwks = await client.GetAsync("/api/dev/oidc/jwks");
        using var token = await client.PostAsJsonAsync("/api/dev/oidc/token", new { email = "anyone@example.com" });
        using var outbox = await client.GetAsync("/api/dev/outbox?to=anyone@example.com");
        var patterns = production.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "").ToList();

        Assert.Equal((404, 404, 404), ((int)jwks.StatusCode, (int)token.StatusCode, (int)outbox.StatusCode));
        Assert.DoesNotContain(patterns, p => p.StartsWith("/api/dev", StringComparison.Ordinal));
        Assert.Contains(patterns, p => p == "/api/v1/users/identify");
    }
}
