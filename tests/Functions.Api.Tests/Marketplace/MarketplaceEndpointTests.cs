using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Xunit;

namespace Functions.Api.Tests.Marketplace;

/// <summary>The marketplace over HTTP on the embedded store: hostile review text, bad input on every endpoint, tenant isolation.</summary>
public sealed class MarketplaceEndpointTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private ApiFactory Factory => api.Factory;

    private async Task<(string User, string Creator, string Admin)> TokensAsync(HttpClient client, string tenant)
    {
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();
        var id = TenantId.Parse(tenant);
        async Task<string> Issue(Role role)
        {
            var user = UserId.Parse((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
            if (role == Role.Admin)
            {
                // Admin endpoints check the stored role too, not only the token's claim.
                await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(id, user, Role.Admin, Factory.Clock.GetUtcNow(), default);
            }

            return (await tokens.IssueAsync(id, user, role, default)).Value;
        }

        return (await Issue(Role.User), await Issue(Role.Creator), await Issue(Role.Admin));
    }

    [Fact]
    public async Task A_hostile_review_is_stored_and_returned_exactly_as_json_data()
    {
        using var client = Factory.Tenant("alpha");
        var (user, creator, admin) = await TokensAsync(client, "alpha");
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin);
        Assert.Equal(200, (await MarketplaceCalls.SendAsync(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", user)).Status);

        const string hostile = "<script>alert('x')</script></textarea><img src=x onerror=alert(1)>\u2028line\u2029para \u202Eevil\u202C \"quoted\" & done";
        var rated = await MarketplaceCalls.SendAsync(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, JsonSerializer.Serialize(new { stars = 2, review = hostile }));
        Assert.True(rated.Status == 200, rated.Text);
        Assert.Equal("application/json", rated.ContentType);
        Assert.Equal(hostile, (string)rated.Body!["review"]!);

        var listed = await MarketplaceCalls.SendAsync(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}/ratings", user);
        Assert.Equal("application/json", listed.ContentType);
        Assert.Equal(hostile, (string)listed.Body!["items"]![0]!["review"]!);
        // Served as JSON that browsers must not sniff into HTML: the text stays data wherever a client shows it.
        using (var raw = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/marketplace/items/{item}/ratings"))
        {
            raw.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user);
            using var response = await client.SendAsync(raw);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        Assert.Null(listed.Body!["items"]![0]!["user"]!["display_name"]);

        var detail = await MarketplaceCalls.SendAsync(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", user);
        Assert.Equal((1L, 2.0), ((long)detail.Body!["rating_count"]!, (double)detail.Body!["rating_average"]!));
        Assert.Equal(1L, (long)detail.Body!["rating_histogram"]!["2"]!);
        Assert.True((bool)detail.Body!["installed"]!);
        Assert.False((bool)detail.Body!["purchased"]!);
    }

    [Fact]
    public async Task Bad_input_on_every_endpoint_is_a_4xx_problem_and_changes_nothing()
    {
        using var client = Factory.Tenant("alpha");
        var (user, creator, admin) = await TokensAsync(client, "alpha");
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin);
        var before = (await MarketplaceCalls.SendAsync(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", user)).Text;
        var missing = Guid.NewGuid().ToString("D");
        (HttpMethod Method, string Path, string? Token, string? Json, int Status, string Code)[] cases =
        [
            (HttpMethod.Post, "/api/v1/marketplace/items", creator, "{}", 400, "validation_failed"),
            (HttpMethod.Post, "/api/v1/marketplace/items", creator, "not json", 400, "invalid_json"),
            (HttpMethod.Post, "/api/v1/marketplace/items", creator, """{"title":"ok title","kind":"feature","categories":["writing"],"price_cents":"ten"}""", 400, "validation_failed"),
            (HttpMethod.Post, "/api/v1/marketplace/items", creator, """{"title":"ok title","kind":"robot","categories":["nope"],"price_cents":-1,"currency":"usd"}""", 400, "validation_failed"),
            (HttpMethod.Post, "/api/v1/marketplace/items", creator, "{\"title\":\"" + new string('x', 20_000) + "\"}", 413, "payload_too_large"),
            (HttpMethod.Post, "/api/v1/marketplace/items", user, MarketplaceCalls.ItemJson, 403, "creator_required"),
            (HttpMethod.Put, $"/api/v1/marketplace/items/{item}", creator, """{"title":"x"}""", 400, "validation_failed"),
            (HttpMethod.Put, $"/api/v1/marketplace/items/{missing}", creator, MarketplaceCalls.ItemJson, 404, "item_not_found"),
            (HttpMethod.Put, "/api/v1/marketplace/items/not-an-id", creator, MarketplaceCalls.ItemJson, 404, "item_not_found"),
            (HttpMethod.Delete, $"/api/v1/marketplace/items/{missing}", creator, null, 404, "item_not_found"),
            (HttpMethod.Get, "/api/v1/marketplace/items?sort=random", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?min_price=-5", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?min_price=500&max_price=100", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?free=maybe", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?kind=robot&category=nope", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?limit=0", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?limit=99999999999", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?continuation=forged", user, null, 400, "validation_failed"),
            (HttpMethod.Get, "/api/v1/marketplace/items?query=" + new string('a', 300), user, null, 400, "validation_failed"),
            (HttpMethod.Get, $"/api/v1/marketplace/items/{missing}", user, null, 404, "item_not_found"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{missing}/install", user, null, 404, "item_not_found"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", creator, null, 403, "own_item"),
            (HttpMethod.Delete, $"/api/v1/marketplace/items/{item}/install", user, null, 404, "item_not_found"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, """{"stars":4}""", 403, "install_required"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, """{"stars":6}""", 400, "validation_failed"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, """{"stars":4.5}""", 400, "validation_failed"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, "{\"stars\":3,\"review\":\"" + new string('r', 2001) + "\"}", 400, "validation_failed"),
            (HttpMethod.Post, $"/api/v1/marketplace/items/{item}/ratings", user, """{"stars":3,"review":"nul \u0000 inside"}""", 400, "validation_failed"),
            (HttpMethod.Get, $"/api/v1/marketplace/items/{item}/ratings?continuation=forged", user, null, 400, "validation_failed"),
            (HttpMethod.Get, $"/api/v1/marketplace/items/{item}/ratings?limit=abc", user, null, 400, "validation_failed"),
            (HttpMethod.Post, $"/api/v1/admin/marketplace/items/{missing}/verify", admin, null, 404, "item_not_found"),
            (HttpMethod.Post, "/api/v1/admin/marketplace/items/not-an-id/hide", admin, null, 404, "item_not_found"),
        ];
        foreach (var (method, path, token, json, status, code) in cases)
        {
            var answer = await MarketplaceCalls.SendAsync(client, method, path, token, json);
            Assert.True(answer.Status == status, $"{method} {path[..Math.Min(path.Length, 90)]}: {answer.Status} {answer.Text[..Math.Min(answer.Text.Length, 300)]}");
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.Equal(code, (string)answer.Body!["code"]!);
        }

        Assert.Equal(before, (await MarketplaceCalls.SendAsync(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", user)).Text);
    }

    [Fact]
    public async Task Another_tenants_items_never_appear_and_premium_users_may_publish_where_the_tenant_allows()
    {
        using var alpha = Factory.Tenant("alpha");
        using var beta = Factory.Tenant("beta");
        var (alphaUser, alphaCreator, alphaAdmin) = await TokensAsync(alpha, "alpha");
        var (betaUser, betaCreator, _) = await TokensAsync(beta, "beta");
        var alphaItem = await MarketplaceCalls.PublishAsync(alpha, alphaCreator, alphaAdmin, MarketplaceCalls.ItemJson.Replace("Grammar helper", "Zanzibar alpha secret", StringComparison.Ordinal));

        // Beta auto-publishes and has its own categories.
        var betaItem = await MarketplaceCalls.PublishAsync(beta, betaCreator, null, """{"title":"Zanzibar beta game","kind":"gpt","categories":["games"],"price_cents":0,"currency":"INR"}""");
        var betaSearch = await MarketplaceCalls.SendAsync(beta, HttpMethod.Get, "/api/v1/marketplace/items?query=zanzibar", betaUser);
        Assert.Equal([betaItem], betaSearch.Body!["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal(404, (await MarketplaceCalls.SendAsync(beta, HttpMethod.Get, $"/api/v1/marketplace/items/{alphaItem}", betaUser)).Status);
        Assert.Equal(404, (await MarketplaceCalls.SendAsync(beta, HttpMethod.Post, $"/api/v1/marketplace/items/{alphaItem}/install", betaUser)).Status);
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, $"/api/v1/marketplace/items/{alphaItem}", betaUser)).Status); // a beta token on alpha
        var alphaSearch = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/marketplace/items?query=zanzibar", alphaUser);
        Assert.Equal([alphaItem], alphaSearch.Body!["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal(["writing", "games"], (await MarketplaceCalls.SendAsync(beta, HttpMethod.Get, "/api/v1/marketplace/categories", null)).Body!["categories"]!.AsArray().Select(c => (string)c!));

        // Alpha lets premium users publish: a free-plan user cannot, the same user on the pro plan can.
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Post, "/api/v1/marketplace/items", alphaUser, MarketplaceCalls.ItemJson)).Status);
        var premium = UserId.Parse((string)(await alpha.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        var quotas = Factory.Services.GetRequiredService<Shared.Domain.Quotas.IQuotaStore>();
        Assert.True(await quotas.ChangePlanAsync(TenantId.Parse("alpha"), premium, PlanId.Parse("pro"), new Shared.Domain.Quotas.Allowance(1000, Shared.Domain.Quotas.ResetPeriod.Month), Factory.Clock.GetUtcNow(), Factory.Clock.GetUtcNow(), default));
        var premiumToken = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse("alpha"), premium, Role.User, default)).Value;
        var created = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Post, "/api/v1/marketplace/items", premiumToken, MarketplaceCalls.ItemJson);
        Assert.True(created.Status == 201, created.Text);
        Assert.Equal("pending", (string)created.Body!["status"]!);
    }

    [Fact]
    public async Task Own_items_and_the_admin_queue_list_by_status_only_to_whom_they_belong_and_refuse_bad_input()
    {
        using var alpha = Factory.Tenant("alpha");
        using var beta = Factory.Tenant("beta");
        var (user, creator, admin) = await TokensAsync(alpha, "alpha");
        var (_, otherCreator, _) = await TokensAsync(alpha, "alpha");
        var (betaUser, betaCreator, betaAdmin) = await TokensAsync(beta, "beta");

        // Alpha verifies by hand: new items are pending. One published, one hidden, one pending, one deleted.
        var published = await MarketplaceCalls.PublishAsync(alpha, creator, admin);
        var hidden = await MarketplaceCalls.PublishAsync(alpha, creator, null);
        Assert.Equal(200, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Post, $"/api/v1/admin/marketplace/items/{hidden}/hide", admin)).Status);
        var pending = await MarketplaceCalls.PublishAsync(alpha, creator, null);
        var deleted = await MarketplaceCalls.PublishAsync(alpha, creator, null);
        Assert.Equal(204, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Delete, $"/api/v1/marketplace/items/{deleted}", creator)).Status);
        var others = await MarketplaceCalls.PublishAsync(alpha, otherCreator, null);
        var betaItem = await MarketplaceCalls.PublishAsync(beta, betaCreator, null, """{"title":"Beta game","kind":"gpt","categories":["games"],"price_cents":0,"currency":"INR"}""");

        async Task<List<string>> Ids(HttpClient client, string path, string token)
        {
            var answer = await MarketplaceCalls.SendAsync(client, HttpMethod.Get, path, token);
            Assert.True(answer.Status == 200, $"{path}: {answer.Status} {answer.Text}");
            return [.. answer.Body!["items"]!.AsArray().Select(i => (string)i!["id"]!)];
        }

        // The creator sees their own items in every status (not the deleted one), by status when asked; nobody else's.
        Assert.Equal(new[] { published, hidden, pending }.Order(), (await Ids(alpha, "/api/v1/creators/me/items", creator)).Order());
        Assert.Equal([pending], await Ids(alpha, "/api/v1/creators/me/items?status=pending", creator));
        Assert.Equal([published], await Ids(alpha, "/api/v1/creators/me/items?status=published", creator));
        Assert.Equal([hidden], await Ids(alpha, "/api/v1/creators/me/items?status=hidden&continuation=", creator)); // empty: the first page
        Assert.Equal([others], await Ids(alpha, "/api/v1/creators/me/items", otherCreator));
        Assert.Empty(await Ids(alpha, "/api/v1/creators/me/items", user));
        var own = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/creators/me/items?status=hidden", creator);
        Assert.Equal("hidden", (string)own.Body!["items"]![0]!["status"]!);
        Assert.Null(own.Body["continuation"]);

        // The admins' queue: pending by default, any creator's, this tenant's only (other tests add items to both tenants).
        static void Only(IEnumerable<string> wanted, IEnumerable<string> unwanted, List<string> listed)
        {
            Assert.All(wanted, id => Assert.Contains(id, listed));
            Assert.All(unwanted, id => Assert.DoesNotContain(id, listed));
        }

        string[] all = [published, hidden, pending, deleted, others, betaItem];
        Only([pending, others], all.Except([pending, others]), await Ids(alpha, "/api/v1/admin/marketplace/items?limit=100", admin));
        Only([hidden], all.Except([hidden]), await Ids(alpha, "/api/v1/admin/marketplace/items?status=hidden&limit=100", admin));
        Only([published], all.Except([published]), await Ids(alpha, "/api/v1/admin/marketplace/items?status=published&limit=100", admin));
        Only([betaItem], all.Except([betaItem]), await Ids(beta, "/api/v1/admin/marketplace/items?status=published&limit=100", betaAdmin));
        Only([], all, await Ids(beta, "/api/v1/admin/marketplace/items?limit=100", betaAdmin));

        // Paging one at a time gives each of the creator's items once.
        var paged = new List<string>();
        string? continuation = null;
        do
        {
            var page = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/creators/me/items?limit=1" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation)), creator);
            Assert.True(page.Status == 200, page.Text);
            paged.AddRange(page.Body!["items"]!.AsArray().Select(i => (string)i!["id"]!));
            continuation = (string?)page.Body["continuation"];
        }
        while (continuation is not null && paged.Count < 10);
        Assert.Equal(new[] { published, hidden, pending }.Order(), paged.Order());

        // Who may call: anonymous 401, a non-admin on the queue 403, another tenant's admin 403 here.
        Assert.Equal(401, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/creators/me/items", null)).Status);
        Assert.Equal(401, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/admin/marketplace/items", null)).Status);
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/admin/marketplace/items", user)).Status);
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/admin/marketplace/items", creator)).Status);
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/admin/marketplace/items", betaAdmin)).Status);
        Assert.Equal(403, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/creators/me/items", betaUser)).Status);

        // Bad input: 400 problems with stable codes. A continuation is bound to its list and status filter.
        var first = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/creators/me/items?limit=1", creator);
        var token = Uri.EscapeDataString((string)first.Body!["continuation"]!);
        var queueFirst = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, "/api/v1/admin/marketplace/items?limit=1", admin);
        var queueToken = Uri.EscapeDataString((string)queueFirst.Body!["continuation"]!);
        (string Path, string Token, string Code)[] cases =
        [
            ("/api/v1/creators/me/items?status=deleted", creator, "invalid_status"),
            ("/api/v1/creators/me/items?status=PENDING", creator, "invalid_status"),
            ("/api/v1/admin/marketplace/items?status=all", admin, "invalid_status"),
            ("/api/v1/creators/me/items?continuation=forged", creator, "invalid_continuation"),
            ("/api/v1/creators/me/items?continuation=%%%", creator, "invalid_continuation"),
            ("/api/v1/creators/me/items?continuation=" + Uri.EscapeDataString(Shared.Domain.Common.ContinuationText.Encode("l1|me:x|*|1|" + pending)), creator, "invalid_continuation"),
            ($"/api/v1/creators/me/items?continuation={token}", otherCreator, "invalid_continuation"), // another creator's list
            ($"/api/v1/creators/me/items?status=pending&continuation={token}", creator, "invalid_continuation"), // another status
            ($"/api/v1/admin/marketplace/items?continuation={token}", admin, "invalid_continuation"), // another list
            ($"/api/v1/creators/me/items?continuation={queueToken}", admin, "invalid_continuation"),
            ($"/api/v1/admin/marketplace/items?continuation={queueToken}&continuation={queueToken}", admin, "invalid_continuation"),
            ("/api/v1/creators/me/items?limit=0", creator, "validation_failed"),
            ("/api/v1/admin/marketplace/items?limit=abc", admin, "validation_failed"),
        ];
        foreach (var (path, caller, code) in cases)
        {
            var answer = await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, path, caller);
            Assert.True(answer.Status == 400, $"{path}: {answer.Status} {answer.Text}");
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.Equal(code, (string)answer.Body!["code"]!);
        }

        Assert.Equal(200, (await MarketplaceCalls.SendAsync(alpha, HttpMethod.Get, $"/api/v1/admin/marketplace/items?limit=1&continuation={queueToken}", admin)).Status);
    }
}
