using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests.Admin;

/// <summary>Role grants and revocations, the user search and the audit log over HTTP (SQLite store).</summary>
public sealed class AdminEndpointTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private ApiFactory Factory => api.Factory;

    private static readonly TenantId Alpha = TenantId.Parse(TestTenants.Alpha);
    private static readonly string[] UserAndShopkeeper = ["shopkeeper", "user"];
    private static readonly string[] UserAndCreator = ["creator", "user"];

    /// <summary>A new user of the tenant (through identify) and its identify answer.</summary>
    private async Task<(UserId Id, JsonObject Answer)> NewUserAsync(string tenant = TestTenants.Alpha, string? email = null)
    {
        using var client = Factory.Tenant(tenant);
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email });
        return (UserId.Parse((string)answer["user_id"]!), answer);
    }

    /// <summary>A stored admin of alpha and a client carrying its admin token.</summary>
    private async Task<(UserId Id, HttpClient Client)> AdminAsync()
    {
        var (id, _) = await NewUserAsync();
        await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(Alpha, id, Role.Admin, Factory.Clock.GetUtcNow(), default);
        var token = await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(Alpha, id, [Role.Admin], default);
        var client = Factory.Tenant(TestTenants.Alpha);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return (id, client);
    }

    private static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }

    private async Task<IReadOnlySet<Role>> StoredAsync(UserId user) => await Factory.Services.GetRequiredService<IUserRoleStore>().GetGrantedAsync(Alpha, user, default);

    [Fact]
    public async Task Granting_and_revoking_a_role_is_idempotent_audited_once_and_reaches_the_next_token()
    {
        var (adminId, admin) = await AdminAsync();
        var (target, _) = await NewUserAsync();

        var (status, body) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/users/{target.Value}/roles", """{"role":"shopkeeper"}""");
        Assert.Equal(200, status);
        Assert.Equal(["user", "shopkeeper"], body["roles"]!.AsArray().Select(r => (string)r!));
        Assert.True((bool)body["changed"]!);
        var (again, repeated) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/users/{target.Value}/roles", """{"role":"shopkeeper"}""");
        Assert.Equal((200, false), (again, (bool)repeated["changed"]!));

        // The user's next token carries the role (issued the way every sign-in path issues one).
        var identity = await Factory.Services.GetRequiredService<JwtAccessTokens>().ValidateAsync((await NextTokenAsync(target)).Value, default);
        Assert.Equal(UserAndShopkeeper, identity!.FindAll(TokenClaims.Role).Select(c => c.Value).Order());

        var (revoked, afterRevoke) = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/admin/users/{target.Value}/roles/shopkeeper");
        Assert.Equal(200, revoked);
        Assert.Equal(["user"], afterRevoke["roles"]!.AsArray().Select(r => (string)r!));
        var (revokedAgain, repeatedRevoke) = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/admin/users/{target.Value}/roles/shopkeeper");
        Assert.Equal((200, false), (revokedAgain, (bool)repeatedRevoke["changed"]!));
        Assert.Empty(await StoredAsync(target));

        // One entry per change (the repeats add none), newest first, naming actor, target and role.
        var entries = (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Where(e => e.TargetId == target.Value).ToList();
        Assert.Equal([AuditActions.RoleGranted, AuditActions.RoleRevoked], entries.Select(e => e.Action).Order(StringComparer.Ordinal)); // same instant: no order between them
        Assert.All(entries, e => Assert.Equal((adminId.Value, "shopkeeper"), (e.ActorId, e.Details!["role"])));
        var (auditStatus, audit) = await SendAsync(admin, HttpMethod.Get, "/api/v1/admin/audit");
        Assert.Equal(200, auditStatus);
        Assert.Contains(audit["items"]!.AsArray(), i => (string)i!["target_id"]! == target.Value && (string)i["action"]! == AuditActions.RoleGranted);
    }

    /// <summary>A token for the user with their effective roles, as identify (and the account sign-ins) issue it.</summary>
    private async Task<Shared.Domain.Identity.AccessToken> NextTokenAsync(UserId user) =>
        await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(Alpha, user, [.. await Factory.Services.GetRequiredService<UserRoles>().EffectiveAsync(Alpha, user, default)], default);

    [Fact]
    public async Task Identify_reuses_its_token_until_renewal_and_the_renewed_token_carries_the_stored_roles()
    {
        var extension = ApiCalls.NewExtensionId();
        using var client = Factory.Tenant(TestTenants.Alpha);
        var first = await client.IdentifyOkAsync(new { extension_id = extension });
        var user = UserId.Parse((string)first["user_id"]!);
        await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(Alpha, user, Role.Creator, Factory.Clock.GetUtcNow(), default);

        var reused = await client.IdentifyOkAsync(new { extension_id = extension });
        Factory.Clock.Advance(TimeSpan.FromMinutes(11)); // past two thirds of the 15-minute lifetime: identify renews
        var renewed = await client.IdentifyOkAsync(new { extension_id = extension });
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();

        Assert.Equal((string)first["access_token"]!, (string)reused["access_token"]!);
        Assert.Equal(["user"], (await tokens.ValidateAsync((string)first["access_token"]!, default))!.FindAll(TokenClaims.Role).Select(c => c.Value));
        Assert.Equal(UserAndCreator, (await tokens.ValidateAsync((string)renewed["access_token"]!, default))!.FindAll(TokenClaims.Role).Select(c => c.Value).Order());
    }

    [Fact]
    public async Task Revoking_admin_takes_effect_at_once_for_admin_endpoints_even_with_an_unexpired_admin_token()
    {
        var (_, first) = await AdminAsync();
        var (second, secondClient) = await AdminAsync();
        Assert.Equal(200, (await SendAsync(secondClient, HttpMethod.Get, "/api/v1/admin/users")).Status);

        Assert.Equal(200, (await SendAsync(first, HttpMethod.Delete, $"/api/v1/admin/users/{second.Value}/roles/admin")).Status);

        var (status, problem) = await SendAsync(secondClient, HttpMethod.Get, "/api/v1/admin/users");
        Assert.Equal((403, "not_admin"), (status, (string)problem["code"]!));
        Assert.Equal(403, (await SendAsync(secondClient, HttpMethod.Post, $"/api/v1/admin/users/{second.Value}/roles", """{"role":"admin"}""")).Status);
        Assert.Empty(await StoredAsync(second));
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_and_changes_nothing()
    {
        var (_, admin) = await AdminAsync();
        var (target, _) = await NewUserAsync();
        var (betaUser, _) = await NewUserAsync(TestTenants.Beta);
        var before = (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Count;
        var grant = $"/api/v1/admin/users/{target.Value}/roles";

        var cases = new (HttpMethod Method, string Path, string? Body, int Status, string Code)[]
        {
            (HttpMethod.Post, grant, """{"role":"user"}""", 400, "validation_failed"),
            (HttpMethod.Post, grant, """{"role":"superuser"}""", 400, "validation_failed"),
            (HttpMethod.Post, grant, """{"role":"Admin"}""", 400, "validation_failed"),
            (HttpMethod.Post, grant, """{}""", 400, "validation_failed"),
            (HttpMethod.Post, grant, """{"role":42}""", 400, "validation_failed"),
            (HttpMethod.Post, grant, "not json", 400, "invalid_json"),
            (HttpMethod.Post, grant, null, 415, "unsupported_media_type"),
            (HttpMethod.Post, grant, $$"""{"role":"{{new string('a', 20_000)}}"}""", 413, "payload_too_large"),
            (HttpMethod.Post, "/api/v1/admin/users/not-a-user/roles", """{"role":"creator"}""", 404, "user_not_found"),
            (HttpMethod.Post, $"/api/v1/admin/users/{UserId.New().Value}/roles", """{"role":"creator"}""", 404, "user_not_found"),
            (HttpMethod.Post, $"/api/v1/admin/users/{betaUser.Value}/roles", """{"role":"creator"}""", 404, "user_not_found"),
            (HttpMethod.Delete, $"{grant}/user", null, 400, "validation_failed"),
            (HttpMethod.Delete, $"{grant}/nobody", null, 400, "validation_failed"),
            (HttpMethod.Delete, $"/api/v1/admin/users/{betaUser.Value}/roles/creator", null, 404, "user_not_found"),
            (HttpMethod.Get, $"/api/v1/admin/users/{betaUser.Value}", null, 404, "user_not_found"),
            (HttpMethod.Get, "/api/v1/admin/users/not-a-user", null, 404, "user_not_found"),
            (HttpMethod.Get, "/api/v1/admin/users?continuation=garbage", null, 400, "invalid_continuation"),
            (HttpMethod.Get, "/api/v1/admin/audit?continuation=garbage", null, 400, "invalid_continuation"),
            (HttpMethod.Get, $"/api/v1/admin/users?query={new string('a', 300)}", null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/admin/users?query=a%20b", null, 400, "validation_failed"),
        };

        var failures = new List<string>();
        foreach (var (method, path, body, expected, code) in cases)
        {
            var (status, problem) = await SendAsync(admin, method, path, body);
            if (status != expected || (string?)problem["code"] != code)
            {
                failures.Add($"{method} {path[..Math.Min(80, path.Length)]} {body?[..Math.Min(40, body.Length)]}: {status} {problem["code"]}, expected {expected} {code}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await StoredAsync(target));
        Assert.Equal(before, (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Count);
    }

    [Fact]
    public async Task The_user_search_pages_by_id_with_an_opaque_continuation_and_the_details_show_roles_plan_and_installations()
    {
        var (_, admin) = await AdminAsync();
        var prefix = $"s{Guid.NewGuid():N}"[..12];
        var made = new List<string>();
        for (var i = 0; i < 53; i++)
        {
            made.Add((await NewUserAsync(email: $"{prefix}{i}@search.example")).Id.Value);
        }

        await NewUserAsync(TestTenants.Beta, email: $"{prefix}beta@search.example");
        var found = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var (status, page) = await SendAsync(admin, HttpMethod.Get, $"/api/v1/admin/users?query={prefix.ToUpperInvariant()}" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}"));
            Assert.Equal(200, status);
            found.AddRange(page["items"]!.AsArray().Select(i => (string)i!["user_id"]!));
            continuation = (string?)page["continuation"];
            pages++;
        }
        while (continuation is not null && pages < 5);

        Assert.Equal(2, pages);
        Assert.Equal(made.Order(StringComparer.Ordinal), found);

        var (detailStatus, detail) = await SendAsync(admin, HttpMethod.Get, $"/api/v1/admin/users/{made[0]}");
        Assert.Equal(200, detailStatus);
        Assert.Equal((made[0], $"{prefix}0@search.example", "free", 1), ((string)detail["user_id"]!, (string)detail["contact_email"]!, (string)detail["plan_id"]!, (int)detail["installations"]!));
        Assert.Equal(["user"], detail["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Empty(detail["subscriptions"]!.AsArray());
    }

    [Fact]
    public async Task A_refund_goes_through_the_sandbox_to_the_webhook_replays_by_key_refuses_a_reused_key_and_is_audited_once()
    {
        var (adminId, admin) = await AdminAsync();
        var (buyer, answer) = await NewUserAsync();
        using var client = Factory.Tenant(TestTenants.Alpha);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)answer["access_token"]!);
        using var checkout = await client.PostAsync("/api/v1/subscriptions/checkout", new StringContent("""{"plan_id":"unlimited","billing_cycle":"lifetime"}""", Encoding.UTF8, "application/json"));
        var session = await ApiCalls.ReadObjectAsync(checkout);
        Assert.True(checkout.IsSuccessStatusCode, session.ToJsonString());
        using (var browser = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            using var paid = await browser.PostAsync(new Uri((string)session["checkout_url"]!).PathAndQuery + "/pay", null);
            Assert.Equal(303, (int)paid.StatusCode);
        }

        var paymentIntent = Factory.Services.GetRequiredService<Shared.Infrastructure.Stripe.LocalPaymentSandbox>().PaymentIntentOf((string)session["session_id"]!)!;
        var key = Guid.NewGuid().ToString("N");
        var body = $$"""{"payment_id":"{{paymentIntent}}","amount_cents":10000,"reason":"goodwill"}""";

        var (status, refund) = await RefundAsync(admin, body, key);
        var (replayStatus, replay) = await RefundAsync(admin, body, key);
        var (reusedStatus, reused) = await RefundAsync(admin, body.Replace("10000", "10001", StringComparison.Ordinal), key);

        Assert.Equal(200, status);
        Assert.StartsWith("re_", (string)refund["refund_id"]!, StringComparison.Ordinal);
        Assert.Equal((200, refund.ToJsonString()), (replayStatus, replay.ToJsonString()));
        Assert.Equal((409, "idempotency_key_reused"), (reusedStatus, (string)reused["code"]!));

        // The sandbox sent charge.refunded; the webhook recorded the refund once, for the buyer.
        var payments = await Factory.Services.GetRequiredService<Shared.Domain.Billing.IBillingStore>().ListPaymentsAsync(Alpha, buyer, default);
        var refunded = Assert.Single(payments, p => p.Status == "refunded");
        Assert.Equal(new Money(10000, "USD"), refunded.Amount);
        var audited = (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Where(e => e.Action == AuditActions.Refund && e.Details!["payment_id"] == paymentIntent).ToList();
        Assert.Equal(adminId.Value, Assert.Single(audited).ActorId);

        // What is left can be refunded under a new key; more than that is refused by the provider and changes nothing.
        var (tooMuch, problem) = await RefundAsync(admin, $$"""{"payment_id":"{{paymentIntent}}","amount_cents":40000,"reason":"too much"}""", Guid.NewGuid().ToString("N"));
        Assert.Equal((400, "payment_request_rejected"), (tooMuch, (string)problem["code"]!));
        Assert.Single(await Factory.Services.GetRequiredService<Shared.Domain.Billing.IBillingStore>().ListPaymentsAsync(Alpha, buyer, default), p => p.Status == "refunded");
    }

    [Fact]
    public async Task A_refund_request_without_a_key_or_with_bad_fields_is_a_400_and_refunds_nothing()
    {
        var (_, admin) = await AdminAsync();
        var cases = new (string Body, string? Key, int Status, string Code)[]
        {
            ("""{"payment_id":"pi_x","reason":"r"}""", null, 400, "idempotency_key_required"),
            ("""{"payment_id":"pi_x","reason":"r"}""", new string('k', 200), 400, "validation_failed"),
            ("""{"reason":"r"}""", "k1", 400, "validation_failed"),
            ("""{"payment_id":"pi_x"}""", "k2", 400, "validation_failed"),
            ("""{"payment_id":"pi_x","reason":"r","amount_cents":0}""", "k3", 400, "validation_failed"),
            ("""{"payment_id":"pi_x","reason":"r","amount_cents":-5}""", "k4", 400, "validation_failed"),
            ("""{"payment_id":"pi_x","reason":"r","amount_cents":"5"}""", "k5", 400, "validation_failed"),
            ("""{"payment_id":"pi x","reason":"r"}""", "k6", 400, "validation_failed"),
            ("""{"payment_id":"pi_unknown","reason":"r"}""", "k7", 404, "sandbox_payment_unknown"),
        };

        var failures = new List<string>();
        foreach (var (body, key, expected, code) in cases)
        {
            var (status, problem) = await RefundAsync(admin, body, key);
            if (status != expected || (string?)problem["code"] != code)
            {
                failures.Add($"{body} key={key?[..Math.Min(10, key.Length)]}: {status} {problem["code"]}, expected {expected} {code}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<(int Status, JsonObject Body)> RefundAsync(HttpClient admin, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/refunds") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await admin.SendAsync(request);
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }
}
