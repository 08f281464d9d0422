using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Checkout through the local payment sandbox, whose Pay button drives the real webhook path; run per store.</summary>
public abstract class CheckoutScenarios
{
    protected abstract ApiFactory Factory { get; }

    private IBillingStore Billing => Factory.Services.GetRequiredService<IBillingStore>();

    /// <summary>The subscription that gives the user's plan (the best-plan rule over all of them).</summary>
    private async Task<Subscription?> CurrentSubscriptionAsync(string userId)
    {
        var tenant = (await Factory.Services.GetRequiredService<Shared.Domain.Tenants.ITenantDirectory>().FindAsync(TenantId.Parse("alpha"), default))!;
        return PlanSelection.Best(tenant, await Billing.ListSubscriptionsAsync(tenant.Id, UserId.Parse(userId), default)).Source;
    }

    private HttpClient Browser() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A new alpha user and a client that sends their access token (checkout needs the caller's token).</summary>
    private async Task<(HttpClient Client, string Extension, string UserId, string Token)> UserAsync()
    {
        var extension = ApiCalls.NewExtensionId();
        var (client, answer) = await Factory.IdentifiedClientAsync("alpha", new { extension_id = extension });
        return (client, extension, (string)answer["user_id"]!, (string)answer["access_token"]!);
    }

    /// <summary>The signed link token in identify's upgrade_url (alpha: https://alpha.example/upgrade?token=…).</summary>
    private static string LinkToken(System.Text.Json.Nodes.JsonObject identifyAnswer) =>
        Uri.UnescapeDataString(new Uri((string)identifyAnswer["upgrade_url"]!).Query["?token=".Length..]);

    private static async Task<System.Text.Json.Nodes.JsonObject> CheckoutOkAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/subscriptions/checkout", body);
        var json = await ApiCalls.ReadObjectAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"checkout answered {(int)response.StatusCode}: {json}");
        return json;
    }

    private async Task<string> PayAsync(string checkoutUrl)
    {
        using var browser = Browser();
        var path = new Uri(checkoutUrl).PathAndQuery;
        var page = await browser.GetStringAsync(path);
        Assert.Contains("LOCAL PAYMENT SANDBOX", page, StringComparison.Ordinal);
        using var paid = await browser.PostAsync(path + "/pay", null);
        Assert.True(paid.StatusCode == HttpStatusCode.SeeOther, $"pay answered {(int)paid.StatusCode}: {await paid.Content.ReadAsStringAsync()}");
        return paid.Headers.Location!.ToString();
    }

    protected async Task Checkout_and_paying_in_the_sandbox_upgrades_the_user_through_the_webhook_core()
    {
        var (client, extension, userId, _) = await UserAsync();

        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        var landing = await PayAsync((string)session["checkout_url"]!);
        var after = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.StartsWith("cs_sandbox_", (string)session["session_id"]!, StringComparison.Ordinal);
        Assert.Equal("https://alpha.example/?checkout=success", landing);
        Assert.Equal("pro", (string)after["subscription_status"]!);
        Assert.Equal(999, (int)after["hits_remaining"]!);
        var subscription = await CurrentSubscriptionAsync(userId);
        Assert.Equal(SubscriptionStatus.Active, subscription!.Status);
        Assert.Equal(BillingCycle.Monthly, subscription.Cycle);
    }

    protected async Task A_lifetime_purchase_is_a_one_time_payment_that_keeps_the_plan_and_cannot_be_cancelled_core()
    {
        var (client, extension, userId, token) = await UserAsync();

        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "unlimited", billing_cycle = "lifetime" });
        await PayAsync((string)session["checkout_url"]!);
        var after = await client.IdentifyOkAsync(new { extension_id = extension });
        using var cancelRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/cancel");
        cancelRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var cancel = await client.SendAsync(cancelRequest);

        Assert.Equal("unlimited", (string)after["subscription_status"]!);
        var payment = await Billing.FindPaymentAsync(TenantId.Parse("alpha"), UserId.Parse(userId), (string)session["session_id"]!, default);
        Assert.Equal(new Money(49900, "USD"), payment!.Amount);
        var subscription = await CurrentSubscriptionAsync(userId);
        Assert.Equal(BillingCycle.Lifetime, subscription!.Cycle);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("lifetime_not_cancellable", (string)(await ApiCalls.ReadObjectAsync(cancel))["code"]!);
    }

    protected async Task A_retried_checkout_reuses_the_same_session_core()
    {
        var (client, _, userId, _) = await UserAsync();

        var first = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "yearly" });
        var retry = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "yearly" });
        var other = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });

        Assert.Equal((string)first["session_id"]!, (string)retry["session_id"]!);
        Assert.NotEqual((string)first["session_id"]!, (string)other["session_id"]!);
        Assert.NotNull(await Billing.FindCustomerAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default));
    }

    protected async Task A_plain_checkout_link_answers_303_to_the_session_core()
    {
        var (client, extension, _, _) = await UserAsync();
        var link = LinkToken(await client.IdentifyOkAsync(new { extension_id = extension }));
        using var browser = Browser();

        using var response = await browser.GetAsync($"/api/v1/checkout/pro?token={Uri.EscapeDataString(link)}&cycle=yearly&tenant=alpha");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains("/api/sandbox/checkout/cs_sandbox_", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    protected async Task Bad_checkout_requests_are_refused_and_create_nothing_core()
    {
        var (client, _, userId, _) = await UserAsync();
        var betaUser = (string)(await Factory.Tenant("beta").IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!;

        var cases = new (object Body, HttpStatusCode Status, string Code)[]
        {
            (new { user_id = userId, plan_id = "platinum", billing_cycle = "monthly" }, HttpStatusCode.NotFound, "plan_not_found"),
            (new { user_id = userId, plan_id = "free", billing_cycle = "monthly" }, HttpStatusCode.BadRequest, "plan_not_purchasable"),
            (new { user_id = userId, plan_id = "unlimited", billing_cycle = "yearly" }, HttpStatusCode.BadRequest, "plan_not_purchasable"),
            (new { user_id = userId, plan_id = "pro", billing_cycle = "lifetime" }, HttpStatusCode.BadRequest, "plan_not_purchasable"),
            (new { user_id = userId, plan_id = "pro", billing_cycle = "weekly" }, HttpStatusCode.BadRequest, "validation_failed"),
            (new { user_id = "nobody", plan_id = "pro", billing_cycle = "monthly" }, HttpStatusCode.BadRequest, "validation_failed"),
            (new { user_id = betaUser, plan_id = "pro", billing_cycle = "monthly" }, HttpStatusCode.Forbidden, "user_mismatch"),
            (new { user_id = userId, plan_id = "pro", billing_cycle = "monthly", success_url = "https://evil.example/steal" }, HttpStatusCode.BadRequest, "validation_failed"),
            (new { user_id = userId, plan_id = "pro", billing_cycle = "monthly", cancel_url = "javascript:alert(1)" }, HttpStatusCode.BadRequest, "validation_failed"),
            (new { plan_id = "pro" }, HttpStatusCode.BadRequest, "validation_failed"),
        };
        foreach (var (body, status, code) in cases)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/subscriptions/checkout", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
        }

        Assert.Null(await Billing.FindCustomerAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default));
        Assert.Null(await Billing.FindCustomerAsync(TenantId.Parse("beta"), UserId.Parse(betaUser), default));
    }

    protected async Task A_subscriber_cannot_check_out_again_but_can_cancel_at_period_end_core()
    {
        var (client, extension, userId, token) = await UserAsync();
        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        await PayAsync((string)session["checkout_url"]!);

        using var again = await client.PostAsJsonAsync("/api/v1/subscriptions/checkout", new { user_id = userId, plan_id = "unlimited", billing_cycle = "monthly" });
        using var cancelRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/cancel");
        cancelRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var cancelled = await client.SendAsync(cancelRequest);
        var stillPro = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("already_subscribed", (string)(await ApiCalls.ReadObjectAsync(again))["code"]!);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.True((bool)(await ApiCalls.ReadObjectAsync(cancelled))["cancel_at_period_end"]!);
        Assert.True((await CurrentSubscriptionAsync(userId))!.CancelAtPeriodEnd);
        Assert.Equal("pro", (string)stillPro["subscription_status"]!);
    }

    protected async Task Paying_in_two_tabs_keeps_both_subscriptions_and_cancel_acts_on_the_one_giving_the_plan_core()
    {
        var (client, extension, userId, token) = await UserAsync();
        var pro = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        var unlimited = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "unlimited", billing_cycle = "monthly" });

        await PayAsync((string)pro["checkout_url"]!);
        await PayAsync((string)unlimited["checkout_url"]!);
        var both = await client.IdentifyOkAsync(new { extension_id = extension });
        using var cancelRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/cancel");
        cancelRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var cancelled = await client.SendAsync(cancelRequest);

        var subscriptions = await Billing.ListSubscriptionsAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default);
        Assert.Equal("unlimited", (string)both["subscription_status"]!);
        Assert.Equal(2, subscriptions.Count);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.True(subscriptions.Single(x => x.PlanId.Value == "unlimited").CancelAtPeriodEnd);
        Assert.False(subscriptions.Single(x => x.PlanId.Value == "pro").CancelAtPeriodEnd);
        Assert.Contains(await Billing.ListAnomaliesAsync(TenantId.Parse("alpha"), 1000, default), a => a.UserId == UserId.Parse(userId) && a.Reason == BillingAnomaly.SecondActiveSubscription);
    }

    protected async Task Cancel_and_portal_need_the_users_token_and_a_billing_account_core()
    {
        var (client, _, _, token) = await UserAsync();

        using var anonymous = Factory.Tenant("alpha");
        using var cancelWithoutToken = await anonymous.PostAsync("/api/v1/subscriptions/cancel", null);
        using var cancelRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/cancel");
        cancelRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var cancelNothing = await client.SendAsync(cancelRequest);
        using var portalRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/portal");
        portalRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var portalNothing = await client.SendAsync(portalRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, cancelWithoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancelNothing.StatusCode);
        Assert.Equal("no_subscription", (string)(await ApiCalls.ReadObjectAsync(cancelNothing))["code"]!);
        Assert.Equal(HttpStatusCode.NotFound, portalNothing.StatusCode);
        Assert.Equal("no_billing_account", (string)(await ApiCalls.ReadObjectAsync(portalNothing))["code"]!);
    }

    protected async Task The_portal_link_is_given_to_paying_users_and_returns_only_to_the_tenants_sites_core()
    {
        var (client, _, userId, token) = await UserAsync();
        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        await PayAsync((string)session["checkout_url"]!);

        using var ok = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/portal") { Content = JsonContent.Create(new { return_url = "https://alpha.example/account" }) };
        ok.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var portal = await client.SendAsync(ok);
        using var evil = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/portal") { Content = JsonContent.Create(new { return_url = "https://evil.example/" }) };
        evil.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await client.SendAsync(evil);

        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        var portalUrl = (string)(await ApiCalls.ReadObjectAsync(portal))["portal_url"]!;
        using var browser = Browser();
        var page = await browser.GetStringAsync(new Uri(portalUrl).PathAndQuery);
        Assert.Contains("<a id=\"return\" href=\"https://alpha.example/account\">", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    protected async Task Control_characters_in_any_redirect_url_are_refused_naming_the_field_core()
    {
        var (client, _, userId, token) = await UserAsync();
        string[] hostile = ["https://alpha.example/ok\u0001", "https://alpha.example/\r\nSet-Cookie:a=b", "https://alpha.example/\u0000", "https://alpha.example/a b", "https://alpha.example/\u007f", "https://alpha.example/\u202egnp.exe", "https://alpha.example/\"><script>", "https://alpha.example/%zz"];

        foreach (var url in hostile)
        {
            foreach (var field in new[] { "success_url", "cancel_url" })
            {
                var body = new Dictionary<string, string> { ["user_id"] = userId, ["plan_id"] = "pro", ["billing_cycle"] = "monthly", [field] = url };
                using var response = await client.PostAsJsonAsync("/api/v1/subscriptions/checkout", body);
                var problem = await ApiCalls.ReadObjectAsync(response);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("validation_failed", (string)problem["code"]!);
                Assert.NotNull(problem["errors"]![field]);
            }
        }

        Assert.Null(await Billing.FindCustomerAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default));

        // A paying user's portal return URL follows the same rule.
        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        await PayAsync((string)session["checkout_url"]!);
        foreach (var url in hostile)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/portal") { Content = JsonContent.Create(new { return_url = url }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            var problem = await ApiCalls.ReadObjectAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull(problem["errors"]!["return_url"]);
        }
    }

    protected async Task The_sandbox_portal_shows_the_plan_cancels_at_period_end_and_links_back_core()
    {
        var (client, extension, userId, token) = await UserAsync();
        var session = await CheckoutOkAsync(client, new { user_id = userId, plan_id = "pro", billing_cycle = "monthly" });
        await PayAsync((string)session["checkout_url"]!);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subscriptions/portal") { Content = JsonContent.Create(new { return_url = "https://alpha.example/account?tab=billing&x='y'" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var portal = await client.SendAsync(request);
        var path = new Uri((string)(await ApiCalls.ReadObjectAsync(portal))["portal_url"]!).PathAndQuery;
        using var browser = Browser();

        var before = await browser.GetStringAsync(path);
        var subscriptionId = (await CurrentSubscriptionAsync(userId))!.StripeSubscriptionId;
        using var cancel = await browser.PostAsync(path + "/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["subscription_id"] = subscriptionId }));
        var after = await browser.GetStringAsync(path);
        using var unknown = await browser.GetAsync("/api/sandbox/portal/bps_sandbox_" + new string('0', 32));
        using var wrongSubscription = await browser.PostAsync(path + "/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["subscription_id"] = "sub_someone_else" }));
        var stillPro = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.Contains("LOCAL PAYMENT SANDBOX", before, StringComparison.Ordinal);
        Assert.Contains("<h2>Pro</h2>", before, StringComparison.Ordinal);
        Assert.Contains("Cancel at period end", before, StringComparison.Ordinal);
        Assert.Contains("href=\"https://alpha.example/account?tab=billing&amp;x=&#x27;y&#x27;\"", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
        Assert.Contains("Cancelled: ends on", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Cancel at period end", after, StringComparison.Ordinal);
        Assert.True((await CurrentSubscriptionAsync(userId))!.CancelAtPeriodEnd);
        Assert.Equal("pro", (string)stillPro["subscription_status"]!);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongSubscription.StatusCode);
    }

    protected async Task The_pricing_page_links_each_plan_and_cycle_to_checkout_core()
    {
        var (client, extension, userId, _) = await UserAsync();
        var link = Uri.EscapeDataString(LinkToken(await client.IdentifyOkAsync(new { extension_id = extension })));
        using var browser = Browser();

        var page = await browser.GetStringAsync($"/api/v1/tenants/alpha/pricing?token={link}");

        Assert.Contains($"/api/v1/checkout/pro?token={link}&amp;cycle=monthly&amp;tenant=alpha", page, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/checkout/pro?token={link}&amp;cycle=yearly&amp;tenant=alpha", page, StringComparison.Ordinal);
        Assert.DoesNotContain(userId, page, StringComparison.Ordinal);
        Assert.Contains("USD 9.99 / month", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/checkout/free", page, StringComparison.Ordinal);
    }
}
