using System.Net.Http.Headers;
using System.Text;
using Functions.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
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

    public static IEnumerable<object[]> MalformedClaims() =>
    [
        ["sub is not a user id", """{"sub":"not-a-guid","tid":"alpha","role":"user"}"""],
        ["sub is a number", """{"sub":42,"tid":"alpha","role":"user"}"""],
        ["sub is missing", """{"tid":"alpha","role":"user"}"""],
        ["sub twice", """{"sub":["01a200ec-790f-7686-a2c9-be91690ee801","01a200ec-790f-7686-a2c9-be91690ee802"],"tid":"alpha","role":"user"}"""],
        ["tid is missing", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","role":"user"}"""],
        ["tid is malformed", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"Alpha!","role":"user"}"""],
        ["tid is an object", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":{"id":"alpha"},"role":"user"}"""],
        ["role is unknown", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha","role":"superuser"}"""],
        ["role is missing", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha"}"""],
        ["a role repeated", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha","role":["user","user"]}"""],
        ["one of the roles unknown", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha","role":["user","superuser"]}"""],
        ["an empty role list", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha","role":[]}"""],
        ["a link token's purpose", """{"sub":"01a200ec-790f-7686-a2c9-be91690ee801","tid":"alpha","purpose":"upgrade"}"""],
    ];

    [Theory]
    [MemberData(nameof(MalformedClaims))]
    public async Task A_validly_signed_token_with_malformed_claims_is_a_401_never_a_500(string why, string claimsJson)
    {
        using var client = Factory.Tenant("alpha");
        var token = SignWithAppKey(claimsJson);
        var user = "01a200ec-790f-7686-a2c9-be91690ee801";

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, $"/api/v1/users/{user}/quota", null),
            (HttpMethod.Post, "/api/v1/features/requests", """{"request_text":"x"}"""),
            (HttpMethod.Get, "/api/v1/features/requests", null),
            (HttpMethod.Post, "/api/v1/subscriptions/checkout", """{"plan_id":"pro","billing_cycle":"monthly"}"""),
            (HttpMethod.Post, "/api/v1/subscriptions/cancel", null),
        })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var problem = await ApiCalls.ReadObjectAsync(response);
            Assert.True((int)response.StatusCode == 401 && (string?)problem["code"] == "invalid_token", $"{why}: {method} {path} answered {(int)response.StatusCode} {problem.ToJsonString()}");
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }

        // Where no token is needed, a bad one is ignored, not fatal.
        using var identify = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/identify") { Content = new StringContent($$"""{"extension_id":"{{ApiCalls.NewExtensionId()}}"}""", Encoding.UTF8, "application/json") };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var identified = await client.SendAsync(identify);
        Assert.Equal(200, (int)identified.StatusCode);
    }

    [Fact]
    public async Task A_token_of_another_tenant_is_a_403_tenant_mismatch_whatever_it_asks_for()
    {
        var beta = await Factory.Tenant("beta").IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        using var client = Factory.Tenant("alpha");

        var (status, body) = await client.GetQuotaAsync((string)beta["user_id"]!, (string)beta["access_token"]!);
        using var unknownTenant = Factory.Tenant("no-such-tenant");
        var (unknownStatus, unknownBody) = await unknownTenant.GetQuotaAsync((string)beta["user_id"]!, (string)beta["access_token"]!);

        Assert.Equal((403, "tenant_mismatch"), (status, (string)body["code"]!));
        Assert.Equal((403, "tenant_mismatch"), (unknownStatus, (string)unknownBody["code"]!));
    }

    [Fact]
    public async Task An_admin_of_the_tenant_may_read_another_users_quota_and_a_creator_or_a_revoked_admin_may_not()
    {
        using var client = Factory.Tenant("alpha");
        var someone = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();
        var alpha = TenantId.Parse("alpha");
        var (admin, revoked) = (UserId.New(), UserId.New());
        var grants = Factory.Services.GetRequiredService<IUserRoleStore>();
        await grants.GrantAsync(alpha, admin, Role.Admin, Factory.Clock.GetUtcNow(), default);
        await grants.GrantAsync(alpha, revoked, Role.Admin, Factory.Clock.GetUtcNow(), default);
        var revokedToken = (await tokens.IssueAsync(alpha, revoked, Role.Admin, default)).Value;
        await grants.RevokeAsync(alpha, revoked, Role.Admin, default);

        var (asAdmin, body) = await client.GetQuotaAsync((string)someone["user_id"]!, (await tokens.IssueAsync(alpha, admin, Role.Admin, default)).Value);
        var (asCreator, _) = await client.GetQuotaAsync((string)someone["user_id"]!, (await tokens.IssueAsync(alpha, UserId.New(), Role.Creator, default)).Value);
        var (asRevoked, _) = await client.GetQuotaAsync((string)someone["user_id"]!, revokedToken);

        Assert.Equal((200, 1), (asAdmin, (int)body["hits_used"]!));
        Assert.Equal(404, asCreator);
        Assert.Equal(404, asRevoked); // the token still claims admin; the store no longer grants it
    }

    [Theory]
    [InlineData(Policies.TenantUser, "user,creator,shopkeeper,admin")]
    [InlineData(Policies.Creator, "creator,admin")]
    [InlineData(Policies.Shopkeeper, "shopkeeper,admin")]
    [InlineData(Policies.Admin, "admin")]
    public async Task Each_role_policy_admits_exactly_its_roles_of_the_requests_tenant(string policyName, string admitted)
    {
        var authorization = Factory.Services.GetRequiredService<IAuthorizationService>();
        var policy = (await Factory.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName))!;
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();

        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var tenant in new[] { "alpha", "beta" })
            {
                // An admin token stands for a stored admin (the admin policy checks the store too; see the next test).
                var user = UserId.New();
                if (role == Role.Admin)
                {
                    await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(TenantId.Parse(tenant), user, Role.Admin, Factory.Clock.GetUtcNow(), default);
                }

                var identity = await tokens.ValidateAsync((await tokens.IssueAsync(TenantId.Parse(tenant), user, role, default)).Value, default);
                var http = new DefaultHttpContext { RequestServices = Factory.Services };
                http.Request.Headers["X-Tenant-ID"] = "alpha";
                var result = await authorization.AuthorizeAsync(new System.Security.Claims.ClaimsPrincipal(identity!), http, policy);

                var expected = tenant == "alpha" && admitted.Split(',').Contains(role.ToClaim());
                Assert.True(expected == result.Succeeded, $"{policyName}: {role} of {tenant} → {result.Succeeded}");
            }
        }
    }

    [Fact]
    public async Task Tokens_signed_with_the_previous_key_are_accepted_during_rotation_and_others_are_not()
    {
        const string Current = "rotation-current-key-0123456789abcdef0123456789";
        const string Previous = "rotation-previous-key-0123456789abcdef0123456789";
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["Secrets:jwt_signing_key"] = Current, ["Secrets:jwt_signing_key_previous"] = Previous });
        using var client = factory.Tenant("alpha");
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var user = UserId.Parse((string)answer["user_id"]!);

        async Task<int> With(string key)
        {
            using var signer = new JwtAccessTokens(new StaticSecrets(key), new TokenOptions(), factory.Clock);
            return (await client.GetQuotaAsync(user.Value, (await signer.IssueAsync(TenantId.Parse("alpha"), user, Role.User, default)).Value)).Status;
        }

        Assert.Equal((200, 200, 401), (await With(Current), await With(Previous), await With("some-other-key-0123456789abcdef0123456789")));
    }

    /// <summary>A token signed with the app's own key, written by hand so that any claim can be malformed.</summary>
    private static string SignWithAppKey(string claimsJson)
    {
        var issuedAt = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(); // ApiFactory's clock
        var registered = $$"""{"iss":"serverless-backend","aud":"serverless-api","iat":{{issuedAt}},"nbf":{{issuedAt}},"exp":{{issuedAt + 600}},""";
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url(registered + claimsJson.TrimStart()[1..]);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiFactory.SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signature)}";
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);

    private sealed class StaticSecrets(string key) : ISecretProvider
    {
        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(key);

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(name == SecretNames.JwtSigningKey ? key : null);

        public void Invalidate(string name)
        {
        }
    }
}
