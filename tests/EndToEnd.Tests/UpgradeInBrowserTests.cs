using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace EndToEnd.Tests;

/// <summary>
/// A person upgrading: the API as a real process with the local payment sandbox, Debian's Chromium driven by
/// Playwright (never a downloaded browser): pricing page, Upgrade, Pay, and the user's quota becomes Pro's.
/// </summary>
public sealed class UpgradeInBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Upgrading_on_the_pricing_page_and_paying_in_the_sandbox_gives_the_user_pro()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is required (./test.sh installs it).");
        var port = AppProcess.FreePort();
        var origin = $"http://127.0.0.1:{port}";
        var tenants = Path.Combine(Path.GetTempPath(), $"shop-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(tenants, $$"""
            { "tenants": [ { "id": "shop", "name": "Shop", "upgrade_url": "{{origin}}/api/v1/tenants/shop/pricing?token={link_token}",
              "checkout_success_url": "{{origin}}/api/v1/tenants/shop/pricing?checkout=success",
              "checkout_cancel_url": "{{origin}}/api/v1/tenants/shop/pricing?checkout=cancelled",
              "plans": [
                { "id": "free", "name": "Free", "hits_limit": 10, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true },
                { "id": "pro", "name": "Pro", "hits_limit": 1000, "reset_period": "month", "price_monthly_cents": 999, "price_yearly_cents": 9999, "currency": "USD",
                  "features": ["Advanced AI rewriting"], "stripe_price_id_monthly": "price_shop_pro_m", "stripe_price_id_yearly": "price_shop_pro_y" } ] } ] }
            """);
        await using var api = await AppProcess.StartAsync("Functions.Api", new Dictionary<string, string>
        {
            ["Store__Provider"] = "Sqlite",
            ["Sqlite__Path"] = Path.Combine(Path.GetTempPath(), $"browser-{Guid.NewGuid():N}", "b.db"),
            ["Tenants__File"] = tenants,
            ["Secrets__jwt_signing_key"] = "browser-test-signing-key-0123456789abcdef0123",
            ["Secrets__stripe_webhook_secret_shop"] = "whsec_browser_test",
            ["Payments__Provider"] = "Sandbox",
            ["Payments__Sandbox__BaseUrl"] = origin,
        }, port);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Tenant-ID", "shop");
        var first = JsonNode.Parse(await (await http.PostAsJsonAsync("api/v1/users/identify", new { extension_id = "browser-ext" })).Content.ReadAsStringAsync())!;
        var upgradeUrl = (string)first["upgrade_url"]!;
        Assert.DoesNotContain((string)first["user_id"]!, upgradeUrl, StringComparison.Ordinal); // a signed link token, not the id

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(upgradeUrl);
        var checkoutLink = await page.GetAttributeAsync("section[data-plan=pro] a.upgrade[data-cycle=monthly]", "href");
        await page.ClickAsync("section[data-plan=pro] a.upgrade[data-cycle=monthly]");
        await page.WaitForSelectorAsync("text=LOCAL PAYMENT SANDBOX");
        var price = await page.InnerTextAsync(".price");
        await page.ClickAsync("#pay");
        await page.WaitForURLAsync("**checkout=success**");
        var after = JsonNode.Parse(await (await http.PostAsJsonAsync("api/v1/users/identify", new { extension_id = "browser-ext" })).Content.ReadAsStringAsync())!;

        Assert.Contains("token=", checkoutLink, StringComparison.Ordinal);
        Assert.DoesNotContain("user_id", checkoutLink, StringComparison.Ordinal);
        Assert.Equal("USD 9.99 / month", price);
        Assert.Equal("free", (string)first["subscription_status"]!);
        Assert.Equal("pro", (string)after["subscription_status"]!);
        Assert.Equal(1000, (int)after["hits_limit"]!);
        Assert.Equal(999, (int)after["hits_remaining"]!);
    }
}
