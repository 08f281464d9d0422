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

    /// <summary>Gives the user a verified email (what applying for a role requires), as a proven address does.</summary>
    private async Task VerifyEmailAsync(UserId user)
    {
        Assert.True(EmailAddress.TryParse($"verified-{Guid.NewGuid():N}@example.com", out var email));
        Assert.Equal(EmailClaim.Claimed, await Factory.Services.GetRequiredService<IUserDirectory>().ClaimVerifiedEmailAsync(Alpha, user, email.Value, Factory.Clock.GetUtcNow(), default));
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
            (HttpMethod.Get, "/api/v1/admin/metrics?from=garbage", null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/admin/metrics?from=2026-01-01&to=2026-02-30", null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/admin/metrics?from=2026-03-01&to=2026-02-01", null, 400, "invalid_metrics_range"),
            (HttpMethod.Get, "/api/v1/admin/metrics?from=2024-01-01&to=2025-12-31", null, 400, "invalid_metrics_range"),
            (HttpMethod.Get, "/api/v1/admin/metrics?from=2026-01-01&from=2026-02-01", null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/admin/metrics?from=9999-12-31", null, 400, "validation_failed"),
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
    public async Task An_empty_continuation_asks_for_the_first_page_and_a_repeated_one_is_refused_on_every_admin_list()
    {
        var (_, admin) = await AdminAsync();
        var (applicant, answer) = await NewUserAsync(email: $"ec{Guid.NewGuid():N}@example.com");
        await VerifyEmailAsync(applicant);
        using (var client = Factory.Tenant(TestTenants.Alpha))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)answer["access_token"]!);
            Assert.Equal(201, (await SendAsync(client, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"creator"}""")).Status);
        }

        foreach (var list in new[] { "/api/v1/admin/role-applications?status=pending", "/api/v1/admin/users?query=ec", "/api/v1/admin/audit?x=1" })
        {
            var (status, first) = await SendAsync(admin, HttpMethod.Get, list);
            Assert.Equal(200, status);
            Assert.NotEmpty(first["items"]!.AsArray());
            var (emptyStatus, empty) = await SendAsync(admin, HttpMethod.Get, list + "&continuation=");
            Assert.True(emptyStatus == 200, $"{list}&continuation= answered {emptyStatus} {empty["code"]}");
            Assert.Equal(first.ToJsonString(), empty.ToJsonString());

            var (repeatedStatus, repeated) = await SendAsync(admin, HttpMethod.Get, list + "&continuation=&continuation=x");
            Assert.Equal((400, "invalid_continuation"), (repeatedStatus, (string?)repeated["code"]));
        }
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

    [Fact]
    public async Task Metrics_answer_the_figures_of_the_stored_facts_in_snake_case_with_every_day_listed()
    {
        var (_, admin) = await AdminAsync();
        var (subscriber, _) = await NewUserAsync();
        var billing = Factory.Services.GetRequiredService<Shared.Domain.Billing.IBillingStore>();

        // A yearly subscription of 2020 (no other test writes that year): 12,345 a year is 1,028.75 a month, MRR 1,029.
        var start = new DateTimeOffset(2020, 2, 10, 8, 0, 0, TimeSpan.Zero);
        var id = $"sub_metrics_{Guid.NewGuid():N}";
        await billing.SaveSubscriptionIfNewerAsync(new Shared.Domain.Billing.Subscription(Alpha, subscriber, id, "cus_metrics", PlanId.Parse("pro"), Shared.Domain.Billing.BillingCycle.Yearly, Shared.Domain.Billing.SubscriptionStatus.Active, start, start.AddYears(1), false, null, start, start), default);
        await billing.RecordPaymentAsync(new Shared.Domain.Billing.PaymentRecord(Alpha, subscriber, "in_" + id, id, new Money(12_345, "JPY"), "succeeded", start), default);

        var (status, body) = await SendAsync(admin, HttpMethod.Get, "/api/v1/admin/metrics?from=2020-03-01&to=2020-03-31");
        Assert.Equal(200, status);
        Assert.Equal(("2020-03-01", "2020-03-31"), ((string)body["from"]!, (string)body["to"]!));
        Assert.Equal(new DateTimeOffset(2020, 4, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)body["measured_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        var mrr = Assert.Single(body["mrr"]!.AsArray());
        Assert.Equal(("JPY", 1_029L), ((string)mrr!["currency"]!, (long)mrr["minor_units"]!));
        var plan = Assert.Single(body["active_subscriptions"]!.AsArray());
        Assert.Equal(("pro", 1), ((string)plan!["plan_id"]!, (int)plan["count"]!));
        Assert.Equal((1, 0, 0m), ((int)body["active_subscriptions_at_start"]!, (int)body["churned_subscriptions"]!, (decimal)body["churn_rate"]!));
        Assert.Equal((0, 0), ((int)body["new_users"]!, (int)body["conversions"]!));
        var days = body["uses_per_day"]!.AsArray();
        Assert.Equal(31, days.Count);
        Assert.Equal(("2020-03-01", 0), ((string)days[0]!["day"]!, (int)days[0]!["count"]!));
        Assert.Equal(31, body["ai_requests_per_day"]!.AsArray().Count);

        // The default window: the 30 days ending today (the test clock's), measured now.
        var (defaultStatus, recent) = await SendAsync(admin, HttpMethod.Get, "/api/v1/admin/metrics");
        Assert.Equal(200, defaultStatus);
        Assert.Equal(($"{Factory.Clock.GetUtcNow().AddDays(-29):yyyy-MM-dd}", $"{Factory.Clock.GetUtcNow():yyyy-MM-dd}"), ((string)recent["from"]!, (string)recent["to"]!));
        Assert.True((int)recent["new_users"]! >= 2); // the admin and the subscriber were created today
    }

    private HttpClient Bearer(string token)
    {
        var client = Factory.Tenant(TestTenants.Alpha);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_user_applies_for_a_role_and_an_admin_approves_it_which_grants_the_role()
    {
        var (_, admin) = await AdminAsync();
        var (applicantId, answer) = await NewUserAsync();
        using var applicant = Bearer((string)answer["access_token"]!);
        Assert.Equal((403, "email_not_verified"), await StatusAndCodeAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"shopkeeper"}"""));
        await VerifyEmailAsync(applicantId);

        var (status, created) = await SendAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"shopkeeper","note":"The bakery on Main St."}""");
        Assert.Equal(201, status);
        Assert.Equal(("shopkeeper", "pending", "The bakery on Main St.", applicantId.Value), ((string)created["role"]!, (string)created["status"]!, (string)created["note"]!, (string)created["user_id"]!));
        var id = (string)created["id"]!;
        Assert.Equal((409, "application_pending"), await StatusAndCodeAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"shopkeeper"}"""));

        // The admin finds it among the pending ones (paging through what other tests left).
        var pending = new List<string>();
        string? continuation = null;
        for (var page = 0; page < 20; page++)
        {
            var (listStatus, list) = await SendAsync(admin, HttpMethod.Get, "/api/v1/admin/role-applications?status=pending" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}"));
            Assert.Equal(200, listStatus);
            pending.AddRange(list["items"]!.AsArray().Select(i => (string)i!["id"]!));
            if ((continuation = (string?)list["continuation"]) is null)
            {
                break;
            }
        }

        Assert.Contains(id, pending);
        var (approved, decided) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{id}/approve");
        Assert.Equal((200, "approved"), (approved, (string)decided["status"]!));
        Assert.Contains(Role.Shopkeeper, await StoredAsync(applicantId));
        Assert.Equal((409, "application_decided"), await StatusAndCodeAsync(admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{id}/reject"));
        Assert.Equal((409, "role_already_held"), await StatusAndCodeAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"shopkeeper"}"""));

        // Another application, rejected with a reason and without a body at all.
        var creator = (string)(await SendAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"creator"}""")).Body["id"]!;
        var (rejected, rejection) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{creator}/reject", """{"reason":"Show us your work first."}""");
        Assert.Equal((200, "rejected", "Show us your work first."), (rejected, (string)rejection["status"]!, (string)rejection["reason"]!));
        Assert.Equal((409, "application_cooldown"), await StatusAndCodeAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"creator"}""")); // rejected moments ago
        Assert.DoesNotContain(Role.Creator, await StoredAsync(applicantId));

        var audit = (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Where(e => e.TargetId == applicantId.Value).ToList();
        Assert.Equal(2, audit.Count(e => e.Action == "roles.applied"));
        Assert.Single(audit, e => e.Action == "admin.role_application_approved");
        Assert.Single(audit, e => e.Action == "admin.role_application_rejected");
        Assert.Single(audit, e => e.Action == AuditActions.RoleGranted);
    }

    [Fact]
    public async Task Role_application_bad_input_is_a_4xx_and_changes_nothing()
    {
        var (_, admin) = await AdminAsync();
        var (applicantId, answer) = await NewUserAsync();
        using var applicant = Bearer((string)answer["access_token"]!);
        await VerifyEmailAsync(applicantId);
        var (betaUser, betaAnswer) = await NewUserAsync(TestTenants.Beta);
        var pendingId = (string)(await SendAsync(applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"creator"}""")).Body["id"]!;
        var before = (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Count;

        var cases = new (HttpClient Client, HttpMethod Method, string Path, string? Body, int Status, string Code)[]
        {
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"admin"}""", 400, "validation_failed"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"user"}""", 400, "validation_failed"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", """{}""", 400, "validation_failed"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":42}""", 400, "validation_failed"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", $$"""{"role":"shopkeeper","note":"{{new string('n', 501)}}"}""", 400, "validation_failed"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", "not json", 400, "invalid_json"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", null, 415, "unsupported_media_type"),
            (applicant, HttpMethod.Post, "/api/v1/roles/applications", $$"""{"role":"shopkeeper","note":"{{new string('a', 20_000)}}"}""", 413, "payload_too_large"),
            (admin, HttpMethod.Get, "/api/v1/admin/role-applications?status=open", null, 400, "validation_failed"),
            (admin, HttpMethod.Get, "/api/v1/admin/role-applications?continuation=garbage", null, 400, "invalid_continuation"),
            (admin, HttpMethod.Post, "/api/v1/admin/role-applications/not-an-id/approve", null, 404, "application_not_found"),
            (admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{betaUser.Value}.creator.{new string('0', 32)}/approve", null, 404, "application_not_found"),
            (admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{pendingId}/reject", $$"""{"reason":"{{new string('r', 501)}}"}""", 400, "validation_failed"),
            (admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{pendingId}/reject", "not json", 400, "invalid_json"),
            (admin, HttpMethod.Post, $"/api/v1/admin/role-applications/{pendingId}/reject", """{"reason":7}""", 400, "validation_failed"),
        };

        var failures = new List<string>();
        foreach (var (client, method, path, body, expected, code) in cases)
        {
            var (status, problem) = await SendAsync(client, method, path, body);
            if (status != expected || (string?)problem["code"] != code)
            {
                failures.Add($"{method} {path[..Math.Min(80, path.Length)]} {body?[..Math.Min(40, body.Length)]}: {status} {problem["code"]}, expected {expected} {code}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // A beta user's token is refused in alpha, and alpha's pending application is not beta's admin's to see.
        using var betaApplicant = Bearer((string)betaAnswer["access_token"]!);
        Assert.Equal(403, (await SendAsync(betaApplicant, HttpMethod.Post, "/api/v1/roles/applications", """{"role":"creator"}""")).Status);
        Assert.Empty(await StoredAsync(applicantId));
        Assert.Equal(Shared.Domain.Admin.RoleApplicationStatus.Pending, (await Factory.Services.GetRequiredService<Shared.Domain.Admin.IRoleApplicationStore>().GetAsync(Alpha, pendingId, default))!.Status);
        Assert.Equal(before, (await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Count);
    }

    private static async Task<(int Status, string? Code)> StatusAndCodeAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        var (status, body) = await SendAsync(client, method, path, json);
        return (status, (string?)body["code"]);
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
