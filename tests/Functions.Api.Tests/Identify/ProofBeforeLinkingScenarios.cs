using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>The API app whose tenants alpha and beta trust a local OpenID Connect issuer made by the test.</summary>
public sealed class IdentityApi : IAsyncLifetime
{
    private readonly StoreKind _store;
    private ApiFactory? _factory;

    public IdentityApi()
        : this(StoreKind.Sqlite)
    {
    }

    private IdentityApi(StoreKind store) => _store = store;

    public LocalOidcIssuer Issuer { get; private set; } = null!;

    public ApiFactory Factory => _factory ??= new ApiFactory(_store, new Dictionary<string, string?> { ["Tenants:File"] = TestTenants.WriteFile(Issuer.Issuer) });

    public static IdentityApi Cosmos() => new(StoreKind.Cosmos);

    public async Task InitializeAsync() => Issuer = await LocalOidcIssuer.StartAsync();

    public async Task DisposeAsync()
    {
        _factory?.Dispose();
        await Issuer.DisposeAsync();
    }
}

public sealed class CosmosIdentityApi : IAsyncLifetime
{
    private readonly IdentityApi _inner = IdentityApi.Cosmos();

    public IdentityApi Api => _inner;

    public Task InitializeAsync() => _inner.InitializeAsync();

    public Task DisposeAsync() => _inner.DisposeAsync();
}

/// <summary>
/// Issue "Trust", class 1: an installation joins an existing user only with proof of the email (an ID token of the
/// tenant's issuer); a bare email is an unverified contact of a new user and nothing more. Run once per store.
/// </summary>
public abstract class ProofBeforeLinkingScenarios
{
    protected abstract IdentityApi Api { get; }

    private ApiFactory Factory => Api.Factory;

    private LocalOidcIssuer Issuer => Api.Issuer;

    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    private string Proof(string email) => Issuer.Mint(email, Factory.Clock.GetUtcNow());

    private async Task<(int Status, JsonObject Body)> IdentifyAsync(object body, string tenant = "alpha")
    {
        using var response = await Factory.Tenant(tenant).IdentifyAsync(body);
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }

    private Task<UserAccount?> UserAsync(string userId, string tenant = "alpha") =>
        Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(TenantId.Parse(tenant), UserId.Parse(userId), default);

    private Task<InstallationLink?> InstallationAsync(string extension, string tenant = "alpha") =>
        Factory.Services.GetRequiredService<Func<IUserDirectory>>()().FindInstallationAsync(TenantId.Parse(tenant), ExtensionId.TryParse(extension, out var x) ? x.Value : throw new ArgumentException(extension), default);

    protected async Task An_email_without_proof_never_joins_an_existing_user_core()
    {
        var client = Factory.Tenant("alpha");
        var victimEmail = NewEmail("victim");
        var victim = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(victimEmail) });
        var victimId = (string)victim["user_id"]!;

        var attacker = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email = victimEmail });
        var (status, _) = await client.GetQuotaAsync(victimId, (string)attacker["access_token"]!);

        Assert.NotEqual(victimId, (string)attacker["user_id"]!);
        Assert.Equal(404, status);
        Assert.Equal(1, (await Factory.Services.GetRequiredService<Shared.Domain.Quotas.IQuotaStore>().GetAsync(TenantId.Parse("alpha"), UserId.Parse(victimId), default))!.Used);
        var victimAfter = await UserAsync(victimId);
        Assert.Equal((victimEmail, (EmailAddress?)null), (victimAfter!.VerifiedEmail!.Value.Value, victimAfter.ContactEmail));
        var attackerUser = await UserAsync((string)attacker["user_id"]!);
        Assert.Equal(((EmailAddress?)null, victimEmail), (attackerUser!.VerifiedEmail, attackerUser.ContactEmail!.Value.Value));
    }

    protected async Task A_bare_email_answers_alike_whether_or_not_someone_owns_it_core()
    {
        var client = Factory.Tenant("alpha");
        var owned = NewEmail("owned");
        await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(owned) });

        async Task<(JsonObject Answer, long StoreOperations)> Probe(string email)
        {
            // Warm the tenant cache so both probes cost only their own work.
            await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
            var handler = Factory.Services.GetRequiredService<Shared.Domain.Identify.IdentifyHandler>();
            var tenant = (await Factory.Services.GetRequiredService<Shared.Domain.Tenants.ITenantDirectory>().FindAsync(TenantId.Parse("alpha"), default))!;
            Assert.True(ExtensionId.TryParse(ApiCalls.NewExtensionId(), out var extension));
            Assert.True(EmailAddress.TryParse(email, out var address));
            using var scope = StoreOperationCounter.BeginScope();
            Assert.True((await handler.HandleAsync(new Shared.Domain.Identify.IdentifyCommand(tenant, extension!.Value, address, "text_rewrite", null, "127.0.0.1"), default)).IsSuccess);
            var operations = scope.Count;
            return (await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email }), operations);
        }

        var (ownedAnswer, ownedOperations) = await Probe(owned);
        var (freeAnswer, freeOperations) = await Probe(NewEmail("nobody"));

        Assert.Equal(freeOperations, ownedOperations);
        Assert.Equal(freeAnswer.Select(p => p.Key).Order(), ownedAnswer.Select(p => p.Key).Order());
        Assert.Equal(((int)freeAnswer["hits_remaining"]!, (bool)freeAnswer["can_use"]!), ((int)ownedAnswer["hits_remaining"]!, (bool)ownedAnswer["can_use"]!));
    }

    protected async Task An_email_claimed_first_without_proof_does_not_capture_the_owners_installations_core()
    {
        var client = Factory.Tenant("alpha");
        var email = NewEmail("owner");
        var squatter = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email });

        var laptop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var phone = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email.ToUpperInvariant()) });

        Assert.NotEqual((string)squatter["user_id"]!, (string)laptop["user_id"]!);
        Assert.Equal((string)laptop["user_id"]!, (string)phone["user_id"]!);
        Assert.Equal(8, (int)phone["hits_remaining"]!);
        Assert.Null((await UserAsync((string)squatter["user_id"]!))!.VerifiedEmail);
    }

    protected async Task A_verified_email_joins_a_new_installation_to_its_owner_core()
    {
        var client = Factory.Tenant("alpha");
        var email = NewEmail("writer");

        var laptop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var desktop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email), email = NewEmail("ignored-hint") });

        Assert.Equal((string)laptop["user_id"]!, (string)desktop["user_id"]!);
        Assert.Equal(8, (int)desktop["hits_remaining"]!);
        var user = await UserAsync((string)laptop["user_id"]!);
        Assert.Equal((email, (EmailAddress?)null), (user!.VerifiedEmail!.Value.Value, user.ContactEmail));
    }

    protected async Task An_anonymous_installation_that_proves_a_free_email_keeps_its_user_and_gets_the_email_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        var email = NewEmail("late");
        var anonymous = await client.IdentifyOkAsync(new { extension_id = extension });

        var proven = await client.IdentifyOkAsync(new { extension_id = extension, id_token = Proof(email) });
        var secondDevice = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });

        Assert.Equal((string)anonymous["user_id"]!, (string)proven["user_id"]!);
        Assert.Equal((string)anonymous["user_id"]!, (string)secondDevice["user_id"]!);
        Assert.Equal(7, (int)secondDevice["hits_remaining"]!);
    }

    protected async Task Proof_of_another_users_email_on_a_linked_installation_is_refused_and_changes_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var email = NewEmail("owner");
        var owner = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var extension = ApiCalls.NewExtensionId();
        var other = await client.IdentifyOkAsync(new { extension_id = extension });

        var (status, body) = await IdentifyAsync(new { extension_id = extension, id_token = Proof(email) });
        var after = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.Equal((409, "email_belongs_to_another_user"), (status, (string)body["code"]!));
        Assert.False(body.ContainsKey("user_id"));
        Assert.Equal((string)other["user_id"]!, (string)after["user_id"]!);
        Assert.Equal(8, (int)after["hits_remaining"]!); // the refused call consumed nothing
        Assert.Null((await UserAsync((string)other["user_id"]!))!.VerifiedEmail);
        Assert.Equal(email, (await UserAsync((string)owner["user_id"]!))!.VerifiedEmail!.Value.Value);
    }

    protected async Task An_account_keeps_the_first_email_it_proved_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        var first = NewEmail("first");
        var second = NewEmail("second");
        var user = await client.IdentifyOkAsync(new { extension_id = extension, id_token = Proof(first) });

        var (status, body) = await IdentifyAsync(new { extension_id = extension, id_token = Proof(second) });
        var newcomer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(second) });

        Assert.Equal((409, "account_has_another_email"), (status, (string)body["code"]!));
        Assert.NotEqual((string)user["user_id"]!, (string)newcomer["user_id"]!);
        Assert.Equal(first, (await UserAsync((string)user["user_id"]!))!.VerifiedEmail!.Value.Value);
    }

    protected async Task An_invalid_id_token_is_refused_and_creates_or_changes_nothing_core()
    {
        var now = Factory.Clock.GetUtcNow();
        var email = NewEmail("target");
        var owner = await Factory.Tenant("alpha").IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var existing = ApiCalls.NewExtensionId();
        var existingUser = await Factory.Tenant("alpha").IdentifyOkAsync(new { extension_id = existing });
        var parts = Proof(email).Split('.');
        var bad = new Dictionary<string, string>
        {
            ["expired"] = Issuer.Mint(email, now.AddHours(-2)),
            ["not yet valid"] = Issuer.Mint(email, now.AddHours(2)),
            ["wrong audience"] = Issuer.Mint(email, now, audience: "someone-elses-client"),
            ["wrong issuer"] = Issuer.Mint(email, now, issuer: "https://evil.example"),
            ["signed by a key the issuer never published"] = Issuer.Mint(email, now, signingKey: LocalOidcIssuer.ForeignKey()),
            ["email not verified"] = Issuer.Mint(email, now, emailVerified: false),
            ["email_verified missing"] = Issuer.Mint(email, now, emailVerified: null),
            ["no email"] = Issuer.Mint(null, now),
            ["an email the service refuses"] = Issuer.Mint("ＡＬＩＣＥ@example.com", now),
            ["payload swapped"] = $"{parts[0]}.{Base64Url($$"""{"iss":"{{Issuer.Issuer}}","aud":"{{LocalOidcIssuer.Audience}}","sub":"x","email":"{{email}}","email_verified":true,"exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""")}.{parts[2]}",
            ["unsigned"] = $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.",
            ["not a JWT"] = "not-a-jwt",
        };

        foreach (var (kind, token) in bad)
        {
            var fresh = ApiCalls.NewExtensionId();
            var (status, body) = await IdentifyAsync(new { extension_id = fresh, id_token = token });
            Assert.True(status == 401 && (string?)body["code"] == "invalid_id_token", $"{kind}: {status} {body.ToJsonString()}");
            Assert.Null(await InstallationAsync(fresh));

            var (onExisting, _) = await IdentifyAsync(new { extension_id = existing, id_token = token });
            Assert.Equal(401, onExisting);
        }

        var existingAfter = await UserAsync((string)existingUser["user_id"]!);
        Assert.Null(existingAfter!.VerifiedEmail);
        Assert.Equal(8, (int)(await Factory.Tenant("alpha").IdentifyOkAsync(new { extension_id = existing }))["hits_remaining"]!); // the refused calls consumed nothing
        Assert.Equal(email, (await UserAsync((string)owner["user_id"]!))!.VerifiedEmail!.Value.Value);
    }

    protected async Task An_id_tokens_lifetime_follows_the_apps_clock_core()
    {
        var minted = Factory.Clock.GetUtcNow();
        var token = Issuer.Mint(NewEmail("clock"), minted, lifetime: TimeSpan.FromMinutes(10));
        var start = Factory.Clock.GetUtcNow();
        try
        {
            Factory.Clock.Advance(TimeSpan.FromMinutes(12));
            var (late, _) = await IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = token });
            Factory.Clock.Set(start.AddMinutes(5));
            var (inTime, _) = await IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = token });

            Assert.Equal((401, 200), (late, inTime));
        }
        finally
        {
            Factory.Clock.Set(start);
        }
    }

    protected async Task An_id_token_proves_an_email_only_in_the_tenant_it_is_presented_to_core()
    {
        var email = NewEmail("both");
        var inAlpha = await Factory.Tenant("alpha").IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var inBeta = await Factory.Tenant("beta").IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) });
        var (status, body) = await IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = Proof(email) }, tenant: "gamma");

        Assert.NotEqual((string)inAlpha["user_id"]!, (string)inBeta["user_id"]!);
        Assert.Null(await UserAsync((string)inAlpha["user_id"]!, tenant: "beta"));
        Assert.Equal((400, "identity_provider_not_configured"), (status, (string)body["code"]!));
    }

    protected async Task Concurrent_first_calls_with_proof_agree_on_one_user_core()
    {
        var client = Factory.Tenant("alpha");
        var email = NewEmail("racer");
        var token = Proof(email);
        var extension = ApiCalls.NewExtensionId();

        var sameInstallation = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => client.IdentifyOkAsync(new { extension_id = extension, id_token = token }))));
        var otherInstallations = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = token }))));

        var users = sameInstallation.Concat(otherInstallations).Select(a => (string)a["user_id"]!).Distinct().ToList();
        Assert.Single(users);
        Assert.Equal(email, (await UserAsync(users[0]))!.VerifiedEmail!.Value.Value);
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);
}

/// <summary>What does not depend on the store: the issuer's keys, its reachability, the dev issuer.</summary>
public sealed class IdentityProviderTests(IdentityApi api) : IClassFixture<IdentityApi>
{
    [Fact]
    public async Task The_issuers_keys_are_fetched_once_and_fetched_again_when_it_rotates()
    {
        var client = api.Factory.Tenant("alpha");
        var now = api.Factory.Clock.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = api.Issuer.Mint($"cached-{i}@example.com", now) });
        }

        var fetchesBefore = api.Issuer.JwksRequests;
        api.Issuer.RotateKey();
        var rotated = api.Issuer.Mint("rotated@example.com", now);
        var status = 0;
        // The first token under a new key makes the library refresh its keys (in the background in 8.x); bounded wait.
        for (var attempt = 0; attempt < 50 && status != 200; attempt++)
        {
            using var response = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId(), id_token = rotated });
            status = (int)response.StatusCode;
            if (status != 200)
            {
                Assert.Equal(401, status);
                await Task.Delay(100);
            }
        }

        Assert.Equal(1, fetchesBefore);
        Assert.Equal(200, status);
        Assert.Equal(2, api.Issuer.JwksRequests);
    }

    [Fact]
    public async Task An_unreachable_issuer_is_a_503_and_changes_nothing()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["Tenants:File"] = TestTenants.WriteFile($"http://127.0.0.1:{port}") });
        var extension = ApiCalls.NewExtensionId();
        using var response = await factory.Tenant("alpha").IdentifyAsync(new { extension_id = extension, id_token = api.Issuer.Mint("x@example.com", factory.Clock.GetUtcNow()) });
        var body = await ApiCalls.ReadObjectAsync(response);

        Assert.Equal((503, "identity_provider_unavailable"), ((int)response.StatusCode, (string)body["code"]!));
        Assert.True(ExtensionId.TryParse(extension, out var parsed));
        Assert.Null(await factory.Services.GetRequiredService<IUserDirectory>().FindInstallationAsync(TenantId.Parse("alpha"), parsed.Value, default));
    }
}
