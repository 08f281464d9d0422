using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Secrets;
using Xunit;

namespace Functions.Api.Tests;

public sealed class AuthTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private ApiFactory Factory => api.Factory;

    [Fact]
    public async Task Identify_answers_a_short_lived_bearer_token_for_the_user_and_tenant()
    {
        using var client = Factory.Tenant("alpha");

        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var identity = await Factory.Services.GetRequiredService<JwtAccessTokens>().ValidateAsync((string)answer["access_token"]!, default);

        Assert.Equal(900, (int)answer["expires_in"]!);
        Assert.Equal("Bearer", (string)answer["token_type"]!);
        Assert.Equal((string)answer["user_id"]!, identity!.FindFirst(TokenClaims.Subject)!.Value);
        Assert.Equal("alpha", identity.FindFirst(TokenClaims.Tenant)!.Value);
        Assert.Equal("user", identity.FindFirst(TokenClaims.Role)!.Value);
    }

    [Fact]
    public async Task The_quota_endpoint_needs_a_token()
    {
        using var client = Factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var (status, body) = await client.GetQuotaAsync((string)answer["user_id"]!, token: null);

        Assert.Equal(401, status);
        Assert.Equal("token_required", (string)body["code"]!);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task A_malformed_token_is_a_401(string token)
    {
        using var client = Factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var (status, body) = await client.GetQuotaAsync((string)answer["user_id"]!, token);

        Assert.Equal(401, status);
        Assert.Equal("invalid_token", (string)body["code"]!);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_a_401()
    {
        using var client = Factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        using var forger = new JwtAccessTokens(new StaticSecrets("someone-elses-key-0123456789abcdef0123456789"), new TokenOptions(), Factory.Clock);
        var forged = await forger.IssueAsync(TenantId.Parse("alpha"), UserId.Parse((string)answer["user_id"]!), Role.Admin, default);

        var (status, _) = await client.GetQuotaAsync((string)answer["user_id"]!, forged.Value);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task An_expired_token_is_a_401()
    {
        using var client = Factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var now = Factory.Clock.Now;
        Factory.Clock.Advance(TimeSpan.FromMinutes(16));
        try
        {
            var (status, body) = await client.GetQuotaAsync((string)answer["user_id"]!, (string)answer["access_token"]!);

            Assert.Equal(401, status);
            Assert.Equal("invalid_token", (string)body["code"]!);
        }
        finally
        {
            Factory.Clock.Set(now);
        }
    }

    [Fact]
    public async Task A_token_cannot_read_another_users_quota()
    {
        using var client = Factory.Tenant("alpha");
        var mine = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var theirs = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var (status, body) = await client.GetQuotaAsync((string)theirs["user_id"]!, (string)mine["access_token"]!);

        Assert.Equal(404, status);
        Assert.Equal("user_not_found", (string)body["code"]!);
    }

    [Fact]
    public async Task A_non_bearer_authorization_header_is_a_401()
    {
        using var client = Factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{answer["user_id"]}/quota");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")));

        using var response = await client.SendAsync(request);

        Assert.Equal(401, (int)response.StatusCode);
    }

    private sealed class StaticSecrets(string key) : ISecretProvider
    {
        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(key);

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(name == SecretNames.JwtSigningKey ? key : null);

        public void Invalidate(string name)
        {
        }
    }
}
