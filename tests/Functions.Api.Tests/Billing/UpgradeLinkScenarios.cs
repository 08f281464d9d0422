using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// Issue "Trust", class 8 (and the unauthenticated checkout): upgrade links carry a short-lived signed token instead of
/// a user id, and nothing starts a checkout (or creates a payment-provider customer) for a user it cannot prove. Per store.
/// </summary>
public abstract class UpgradeLinkScenarios
{
    protected abstract ApiFactory Factory { get; }

    private IBillingStore Billing => Factory.Services.GetRequiredService<IBillingStore>();

    private HttpClient Browser() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(string UserId, string AccessToken, string LinkToken)> UserAsync(string tenant = "alpha")
    {
        var answer = await Factory.Tenant(tenant).IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var query = new Uri((string)answer["upgrade_url"]!).Query;
        var link = Uri.UnescapeDataString(query[(query.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return ((string)answer["user_id"]!, (string)answer["access_token"]!, link);
    }

    private Task<string?> CustomerOf(string userId, string tenant = "alpha") =>
        Billing.FindCustomerAsync(TenantId.Parse(tenant), UserId.Parse(userId), default);

    private async Task<(int Status, string? Code, string? Location)> GetCheckoutLinkAsync(string query)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync($"/api/v1/checkout/pro?{query}");
        var body = await response.Content.ReadAsStringAsync();
        var code = body.StartsWith('{') ? (string?)JsonNode.Parse(body)!["code"] : null;
        return ((int)response.StatusCode, code, response.Headers.Location?.ToString());
    }

    protected async Task A_guessed_user_id_in_an_upgrade_link_starts_no_checkout_core()
    {
        var (victim, _, _) = await UserAsync();

        var (status, code, _) = await GetCheckoutLinkAsync($"user_id={victim}&cycle=monthly&tenant=alpha");
        var (pageStatus, _, _) = await GetCheckoutLinkAsync($"user_id={victim}&cycle=monthly&tenant=alpha&token=");

        Assert.Equal((400, "link_token_required"), (status, code));
        Assert.Equal(403, pageStatus);
        Assert.Null(await CustomerOf(victim));
        using var browser = Browser();
        var page = await browser.GetStringAsync($"/api/v1/tenants/alpha/pricing?user_id={victim}");
        Assert.DoesNotContain("/api/v1/checkout/", page, StringComparison.Ordinal);
    }

    protected async Task An_expired_upgrade_link_starts_no_checkout_core()
    {
        var (user, _, link) = await UserAsync();
        var start = Factory.Clock.GetUtcNow();
        try
        {
            Factory.Clock.Advance(TimeSpan.FromMinutes(31));
            var (status, code, _) = await GetCheckoutLinkAsync($"token={Uri.EscapeDataString(link)}&cycle=monthly&tenant=alpha");
            using var browser = Browser();
            var page = await browser.GetStringAsync($"/api/v1/tenants/alpha/pricing?token={Uri.EscapeDataString(link)}");

            Assert.Equal((403, "invalid_link_token"), (status, code));
            Assert.Null(await CustomerOf(user));
            Assert.DoesNotContain("/api/v1/checkout/", page, StringComparison.Ordinal);
            Assert.Contains("expired", page, StringComparison.Ordinal);
        }
        finally
        {
            Factory.Clock.Set(start);
        }
    }

    protected async Task An_upgrade_link_starts_a_checkout_for_its_own_user_and_tenant_only_core()
    {
        var (user, _, link) = await UserAsync();
        var (other, _, _) = await UserAsync();
        var escaped = Uri.EscapeDataString(link);

        var (forOther, otherCode, _) = await GetCheckoutLinkAsync($"token={escaped}&user_id={other}&cycle=monthly&tenant=alpha");
        var (inBeta, betaCode, _) = await GetCheckoutLinkAsync($"token={escaped}&cycle=monthly&tenant=beta");
        var (tampered, tamperedCode, _) = await GetCheckoutLinkAsync($"token={Uri.EscapeDataString(link[..^3] + (link[^3..] == "AAA" ? "BBB" : "AAA"))}&cycle=monthly&tenant=alpha");
        Assert.Null(await CustomerOf(user));
        Assert.Null(await CustomerOf(other));
        var (ok, _, location) = await GetCheckoutLinkAsync($"token={escaped}&cycle=monthly&tenant=alpha");

        Assert.Equal((403, "user_mismatch"), (forOther, otherCode));
        Assert.Equal((403, "tenant_mismatch"), (inBeta, betaCode));
        Assert.Equal((403, "invalid_link_token"), (tampered, tamperedCode));
        Assert.Equal(303, ok);
        Assert.Contains("/api/sandbox/checkout/cs_sandbox_", location, StringComparison.Ordinal);
        Assert.NotNull(await CustomerOf(user));
        Assert.Null(await CustomerOf(other));
    }

    protected async Task A_link_token_is_not_an_access_token_and_an_access_token_is_not_a_link_core()
    {
        var (user, access, link) = await UserAsync();
        using var client = Factory.Tenant("alpha");

        var (asBearer, bearerBody) = await client.GetQuotaAsync(user, link);
        var (asLink, linkCode, _) = await GetCheckoutLinkAsync($"token={Uri.EscapeDataString(access)}&cycle=monthly&tenant=alpha");

        Assert.Equal((401, "invalid_token"), (asBearer, (string)bearerBody["code"]!));
        Assert.Equal((403, "invalid_link_token"), (asLink, linkCode));
        Assert.Null(await CustomerOf(user));
    }

    protected async Task A_checkout_without_a_token_or_a_link_is_refused_and_creates_no_customer_core()
    {
        var (victim, _, _) = await UserAsync();
        using var anonymous = Factory.Tenant("alpha");

        using var response = await anonymous.PostAsJsonAsync("/api/v1/subscriptions/checkout", new { user_id = victim, plan_id = "pro", billing_cycle = "monthly" });
        var body = await ApiCalls.ReadObjectAsync(response);

        Assert.Equal((401, "token_required"), ((int)response.StatusCode, (string)body["code"]!));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Null(await CustomerOf(victim));
    }

    protected async Task A_checkout_for_another_user_is_refused_and_creates_no_customer_core()
    {
        var (victim, _, _) = await UserAsync();
        var (_, attackerToken, attackerLink) = await UserAsync();
        using var client = Factory.Tenant("alpha");

        using var withBearer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/checkout") { Content = JsonContent.Create(new { user_id = victim, plan_id = "pro", billing_cycle = "monthly" }) };
        withBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", attackerToken);
        using var bearerAnswer = await client.SendAsync(withBearer);
        using var linkAnswer = await client.PostAsJsonAsync($"/api/v1/subscriptions/checkout?token={Uri.EscapeDataString(attackerLink)}", new { user_id = victim, plan_id = "pro", billing_cycle = "monthly" });

        Assert.Equal((403, "user_mismatch"), ((int)bearerAnswer.StatusCode, (string)(await ApiCalls.ReadObjectAsync(bearerAnswer))["code"]!));
        Assert.Equal((403, "user_mismatch"), ((int)linkAnswer.StatusCode, (string)(await ApiCalls.ReadObjectAsync(linkAnswer))["code"]!));
        Assert.Null(await CustomerOf(victim));
    }

    protected async Task A_checkout_starts_for_the_caller_of_a_bearer_token_or_a_link_core()
    {
        var (byBearer, access, _) = await UserAsync();
        var (byLink, _, link) = await UserAsync();
        using var client = Factory.Tenant("alpha");

        using var withBearer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/checkout") { Content = JsonContent.Create(new { plan_id = "pro", billing_cycle = "monthly" }) };
        withBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        using var bearerAnswer = await client.SendAsync(withBearer);
        using var linkAnswer = await client.PostAsJsonAsync($"/api/v1/subscriptions/checkout?token={Uri.EscapeDataString(link)}", new { user_id = byLink, plan_id = "pro", billing_cycle = "yearly" });
        using var expired = await client.PostAsJsonAsync("/api/v1/subscriptions/checkout?token=not-a-token", new { plan_id = "pro", billing_cycle = "yearly" });

        Assert.Equal(HttpStatusCode.OK, bearerAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, linkAnswer.StatusCode);
        Assert.Equal((403, "invalid_link_token"), ((int)expired.StatusCode, (string)(await ApiCalls.ReadObjectAsync(expired))["code"]!));
        Assert.NotNull(await CustomerOf(byBearer));
        Assert.NotNull(await CustomerOf(byLink));
    }
}

public sealed class SqliteUpgradeLinkTests(SqliteApi fixture) : UpgradeLinkScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task A_guessed_user_id_in_an_upgrade_link_starts_no_checkout() => A_guessed_user_id_in_an_upgrade_link_starts_no_checkout_core();

    [Fact]
    public Task An_expired_upgrade_link_starts_no_checkout() => An_expired_upgrade_link_starts_no_checkout_core();

    [Fact]
    public Task An_upgrade_link_starts_a_checkout_for_its_own_user_and_tenant_only() => An_upgrade_link_starts_a_checkout_for_its_own_user_and_tenant_only_core();

    [Fact]
    public Task A_link_token_is_not_an_access_token_and_an_access_token_is_not_a_link() => A_link_token_is_not_an_access_token_and_an_access_token_is_not_a_link_core();

    [Fact]
    public Task A_checkout_without_a_token_or_a_link_is_refused_and_creates_no_customer() => A_checkout_without_a_token_or_a_link_is_refused_and_creates_no_customer_core();

    [Fact]
    public Task A_checkout_for_another_user_is_refused_and_creates_no_customer() => A_checkout_for_another_user_is_refused_and_creates_no_customer_core();

    [Fact]
    public Task A_checkout_starts_for_the_caller_of_a_bearer_token_or_a_link() => A_checkout_starts_for_the_caller_of_a_bearer_token_or_a_link_core();
}

public sealed class CosmosUpgradeLinkTests(CosmosApi fixture) : UpgradeLinkScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [TestSupport.CosmosFact]
    public Task A_guessed_user_id_in_an_upgrade_link_starts_no_checkout() => A_guessed_user_id_in_an_upgrade_link_starts_no_checkout_core();

    [TestSupport.CosmosFact]
    public Task An_expired_upgrade_link_starts_no_checkout() => An_expired_upgrade_link_starts_no_checkout_core();

    [TestSupport.CosmosFact]
    public Task An_upgrade_link_starts_a_checkout_for_its_own_user_and_tenant_only() => An_upgrade_link_starts_a_checkout_for_its_own_user_and_tenant_only_core();

    [TestSupport.CosmosFact]
    public Task A_link_token_is_not_an_access_token_and_an_access_token_is_not_a_link() => A_link_token_is_not_an_access_token_and_an_access_token_is_not_a_link_core();

    [TestSupport.CosmosFact]
    public Task A_checkout_without_a_token_or_a_link_is_refused_and_creates_no_customer() => A_checkout_without_a_token_or_a_link_is_refused_and_creates_no_customer_core();

    [TestSupport.CosmosFact]
    public Task A_checkout_for_another_user_is_refused_and_creates_no_customer() => A_checkout_for_another_user_is_refused_and_creates_no_customer_core();

    [TestSupport.CosmosFact]
    public Task A_checkout_starts_for_the_caller_of_a_bearer_token_or_a_link() => A_checkout_starts_for_the_caller_of_a_bearer_token_or_a_link_core();
}
