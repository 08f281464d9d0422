using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Stripe;
using Xunit;

namespace Functions.Api.Tests.Marketplace;

/// <summary>
/// Buying paid items per store, through the real webhook path with signed events: the sandbox checkout entitles the
/// buyer and records the creator's share; the same completion ×10 (concurrently, same and new event ids) and out of
/// order against its refund give one entitlement and one earnings entry; a refund (admin or webhook) revokes the
/// entitlement and reverses the share once; bad input is a 4xx with a code that changes nothing.
/// </summary>
public abstract class PurchaseApiScenarios
{
    private const long Price = 999;

    protected abstract ApiFactory Factory { get; }

    private DateTimeOffset Now => Factory.Clock.GetUtcNow();

    private async Task<(HttpClient Client, string Buyer, UserId BuyerId, string Creator, UserId CreatorId, string Admin)> PartiesAsync()
    {
        var client = Factory.Tenant("alpha");
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();
        var alpha = TenantId.Parse("alpha");
        async Task<(string Token, UserId Id)> Issue(Role role)
        {
            var user = UserId.Parse((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
            if (role == Role.Admin)
            {
                await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(alpha, user, Role.Admin, Factory.Clock.GetUtcNow(), default);
            }

            return ((await tokens.IssueAsync(alpha, user, role, default)).Value, user);
        }

        var (buyer, buyerId) = await Issue(Role.User);
        var (creator, creatorId) = await Issue(Role.Creator);
        var (admin, _) = await Issue(Role.Admin);
        return (client, buyer, buyerId, creator, creatorId, admin);
    }

    private static string PaidItemJson(long price = Price) =>
        $$"""{"title":"Pro grammar pack","description":"Paid","kind":"bundle","categories":["writing"],"price_cents":{{price}},"currency":"USD"}""";

    private static Task<(int Status, JsonNode? Body, string Text, string? ContentType)> Send(HttpClient client, HttpMethod method, string path, string? token, string? json = null) =>
        MarketplaceCalls.SendAsync(client, method, path, token, json);

    private static async Task<JsonNode> EarningsAsync(HttpClient client, string token)
    {
        var answer = await Send(client, HttpMethod.Get, "/api/v1/creators/me/earnings", token);
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body!;
    }

    /// <summary>The metadata the purchase endpoint puts on the session and its payment.</summary>
    private static Dictionary<string, string> Metadata(string purchaseId, string itemId, UserId buyer, UserId creator, long price = Price) => new()
    {
        ["tenant_id"] = "alpha",
        ["user_id"] = buyer.Value,
        ["purpose"] = "marketplace_purchase",
        ["purchase_id"] = purchaseId,
        ["item_id"] = itemId,
        ["creator_id"] = creator.Value,
        ["price_cents"] = price.ToString(CultureInfo.InvariantCulture),
        ["currency"] = "USD",
        ["platform_fee_bp"] = "2000",
    };

    private static string Completed(string eventId, DateTimeOffset created, string session, Dictionary<string, string> metadata, long paid = Price) =>
        StripeEventJson.Event(eventId, "checkout.session.completed", created, new
        {
            id = session,
            @object = "checkout.session",
            mode = "payment",
            status = "complete",
            payment_status = "paid",
            amount_total = paid,
            currency = "usd",
            client_reference_id = metadata["user_id"],
            created = created.ToUnixTimeSeconds(),
            metadata,
        });

    private static string Refunded(string eventId, DateTimeOffset created, string charge, Dictionary<string, string> metadata, long refunded = Price) =>
        StripeEventJson.Event(eventId, "charge.refunded", created, new
        {
            id = charge,
            @object = "charge",
            amount = Price,
            amount_refunded = refunded,
            currency = "usd",
            created = created.ToUnixTimeSeconds(),
            metadata,
        });

    private async Task DeliverAllAsync(IEnumerable<string> events, bool concurrently)
    {
        using var webhook = Factory.Tenant("alpha");
        var list = events.ToList();
        HttpResponseMessage[] answers;
        if (concurrently)
        {
            answers = await Task.WhenAll(list.Select(json => Task.Run(() => webhook.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Now))));
        }
        else
        {
            answers = new HttpResponseMessage[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                answers[i] = await webhook.DeliverAsync("alpha", list[i], ApiFactory.WebhookSecret, Now);
            }
        }

        foreach (var answer in answers)
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"webhook answered {(int)answer.StatusCode}: {text}");
            answer.Dispose();
        }
    }

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    protected async Task A_purchase_paid_in_the_sandbox_entitles_the_buyer_and_an_admin_refund_revokes_it_core()
    {
        var (client, buyer, _, creator, _, admin) = await PartiesAsync();
        using var _client = client;
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());

        var notYet = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", buyer);
        Assert.Equal((402, "purchase_required"), (notYet.Status, (string?)notYet.Body!["code"]));

        var started = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/purchase", buyer);
        Assert.True(started.Status == 200, started.Text);
        var sessionId = (string)started.Body!["session_id"]!;
        Assert.StartsWith("cs_sandbox_", sessionId, StringComparison.Ordinal);

        // A double click (two more calls at once) answers the same open session: there is one to pay, not three.
        var repeats = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/purchase", buyer))));
        Assert.All(repeats, r => Assert.Equal((200, sessionId), (r.Status, (string?)r.Body?["session_id"])));
        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!); // nothing before the payment
        Assert.Empty((await EarningsAsync(client, creator))["items"]!.AsArray());

        using (var browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            var path = new Uri((string)started.Body!["checkout_url"]!).PathAndQuery;
            using var paid = await browser.PostAsync(path + "/pay", null);
            Assert.True(paid.StatusCode == HttpStatusCode.SeeOther, $"pay answered {(int)paid.StatusCode}: {await paid.Content.ReadAsStringAsync()}");
        }

        Assert.True((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
        var installed = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", buyer);
        Assert.True(installed.Status == 200, installed.Text);
        Assert.Equal(1, (long)installed.Body!["install_count"]!);
        var again = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/purchase", buyer);
        Assert.Equal((409, "already_purchased"), (again.Status, (string?)again.Body!["code"]));

        // The creator's share at the default 20 % fee: 999 × 0.8 = 799.2, rounded down to 799.
        var earnings = await EarningsAsync(client, creator);
        var sale = Assert.Single(earnings["items"]!.AsArray())!;
        Assert.Equal(("sale", 799L, "USD", item), ((string)sale["kind"]!, (long)sale["amount_cents"]!, (string)sale["currency"]!, (string)sale["item_id"]!));
        Assert.Equal(799L, (long)earnings["totals"]!["USD"]!);
        Assert.Null(earnings["continuation"]);
        Assert.Empty((await EarningsAsync(client, buyer))["items"]!.AsArray()); // the buyer earned nothing

        // The admin refunds the payment: the sandbox sends charge.refunded, the webhook revokes and reverses.
        var paymentIntent = Factory.Services.GetRequiredService<LocalPaymentSandbox>().PaymentIntentOf(sessionId)!;
        using (var refund = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/refunds") { Content = new StringContent($$"""{"payment_id":"{{paymentIntent}}","reason":"asked for it"}""", Encoding.UTF8, "application/json") })
        {
            refund.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
            refund.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var refunded = await client.SendAsync(refund);
            Assert.True(refunded.IsSuccessStatusCode, await refunded.Content.ReadAsStringAsync());
        }

        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
        var afterRefund = await EarningsAsync(client, creator);
        Assert.Equal(["reversal", "sale"], afterRefund["items"]!.AsArray().Select(e => (string)e!["kind"]!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(-799L, (long)afterRefund["items"]!.AsArray().Single(e => (string)e!["kind"]! == "reversal")!["amount_cents"]!);
        Assert.Equal(0L, (long)afterRefund["totals"]!["USD"]!);
        var reinstall = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", buyer);
        Assert.Equal((402, "purchase_required"), (reinstall.Status, (string?)reinstall.Body!["code"]));

        // Refunded, the item can be bought again, through a new session.
        var rebuy = await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/purchase", buyer);
        Assert.Equal(200, rebuy.Status);
        Assert.NotEqual(sessionId, (string?)rebuy.Body!["session_id"]);
    }

    protected async Task The_same_completion_ten_times_and_out_of_order_gives_one_entitlement_and_one_entry_core()
    {
        var (client, buyer, buyerId, creator, creatorId, admin) = await PartiesAsync();
        using var _client = client;
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        var metadata = Metadata(Guid.NewGuid().ToString("D"), item, buyerId, creatorId);
        var session = NewId("cs");
        var same = Completed(NewId("evt"), Now, session, metadata);

        // Ten deliveries at once: the same event six times and four redeliveries under new event ids.
        await DeliverAllAsync([.. Enumerable.Repeat(same, 6), .. Enumerable.Range(0, 4).Select(_ => Completed(NewId("evt"), Now, session, metadata))], concurrently: true);
        Assert.True((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
        var earnings = await EarningsAsync(client, creator);
        Assert.Equal(799L, (long)Assert.Single(earnings["items"]!.AsArray())!["amount_cents"]!);

        // The refund, three times at once and once more late, interleaved with late completions: revoked and reversed once.
        var charge = NewId("ch");
        await DeliverAllAsync([Refunded(NewId("evt"), Now, charge, metadata), Refunded(NewId("evt"), Now, charge, metadata), Completed(NewId("evt"), Now, session, metadata), Refunded(NewId("evt"), Now, charge, metadata)], concurrently: true);
        await DeliverAllAsync([Completed(NewId("evt"), Now, session, metadata), Refunded(NewId("evt"), Now, charge, metadata), same], concurrently: false);
        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
        var after = await EarningsAsync(client, creator);
        Assert.Equal(2, after["items"]!.AsArray().Count);
        Assert.Equal([-799L, 799L], after["items"]!.AsArray().Select(e => (long)e!["amount_cents"]!).Order().ToArray());
        Assert.Equal(0L, (long)after["totals"]!["USD"]!);
        Assert.Equal(402, (await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", buyer)).Status);
    }

    protected async Task A_refund_seen_before_its_completion_leaves_no_entitlement_core()
    {
        var (client, buyer, buyerId, creator, creatorId, admin) = await PartiesAsync();
        using var _client = client;
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        var metadata = Metadata(Guid.NewGuid().ToString("D"), item, buyerId, creatorId);
        var session = NewId("cs");

        await DeliverAllAsync([Refunded(NewId("evt"), Now, NewId("ch"), metadata)], concurrently: false);
        Assert.Empty((await EarningsAsync(client, creator))["items"]!.AsArray()); // nothing sold yet, nothing to reverse

        await DeliverAllAsync([.. Enumerable.Range(0, 5).Select(_ => Completed(NewId("evt"), Now, session, metadata))], concurrently: true);
        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
        Assert.Equal(402, (await Send(client, HttpMethod.Post, $"/api/v1/marketplace/items/{item}/install", buyer)).Status);
        var earnings = await EarningsAsync(client, creator);
        Assert.Equal(["reversal", "sale"], earnings["items"]!.AsArray().Select(e => (string)e!["kind"]!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0L, (long)earnings["totals"]!["USD"]!);

        // A completion whose amount is not the price at checkout is refused and changes nothing.
        var other = Metadata(Guid.NewGuid().ToString("D"), item, buyerId, creatorId);
        using var webhook = Factory.Tenant("alpha");
        using var wrong = await webhook.DeliverAsync("alpha", Completed(NewId("evt"), Now, NewId("cs"), other, paid: 1), ApiFactory.WebhookSecret, Now);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{item}", buyer)).Body!["purchased"]!);
    }

    protected async Task Bad_input_is_refused_with_a_code_and_changes_nothing_core()
    {
        var (client, buyer, _, creator, _, admin) = await PartiesAsync();
        using var _client = client;
        var paid = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        var free = await MarketplaceCalls.PublishAsync(client, creator, admin);
        var pending = await MarketplaceCalls.PublishAsync(client, creator, null, PaidItemJson());
        var hidden = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        Assert.Equal(200, (await Send(client, HttpMethod.Post, $"/api/v1/admin/marketplace/items/{hidden}/hide", admin)).Status);
        var deleted = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        Assert.Equal(204, (await Send(client, HttpMethod.Delete, $"/api/v1/marketplace/items/{deleted}", creator)).Status);

        (string Path, string? Token, string? Json, int Status, string Code)[] cases =
        [
            ($"/api/v1/marketplace/items/{free}/purchase", buyer, null, 400, "item_is_free"),
            ($"/api/v1/marketplace/items/{paid}/purchase", creator, null, 403, "own_item"),
            ($"/api/v1/marketplace/items/{pending}/purchase", buyer, null, 404, "item_not_found"),
            ($"/api/v1/marketplace/items/{pending}/purchase", admin, null, 409, "item_not_purchasable"),
            ($"/api/v1/marketplace/items/{hidden}/purchase", buyer, null, 404, "item_not_found"),
            ($"/api/v1/marketplace/items/{deleted}/purchase", buyer, null, 404, "item_not_found"),
            ($"/api/v1/marketplace/items/{Guid.NewGuid():D}/purchase", buyer, null, 404, "item_not_found"),
            ("/api/v1/marketplace/items/not-an-id/purchase", buyer, null, 404, "item_not_found"),
            ($"/api/v1/marketplace/items/{paid}/purchase", buyer, "not json", 400, "invalid_json"),
            ($"/api/v1/marketplace/items/{paid}/purchase", buyer, """{"success_url":"https://evil.example/x"}""", 400, "validation_failed"),
            ($"/api/v1/marketplace/items/{paid}/purchase", buyer, """{"cancel_url":"javascript:alert(1)"}""", 400, "validation_failed"),
            ($"/api/v1/marketplace/items/{paid}/purchase", buyer, """{"success_url":12}""", 400, "validation_failed"),
        ];
        var failures = new List<string>();
        foreach (var (path, token, json, status, code) in cases)
        {
            var answer = await Send(client, HttpMethod.Post, path, token, json);
            if (answer.Status != status || (string?)answer.Body?["code"] != code)
            {
                failures.Add($"POST {path} {json}: {answer.Status} {answer.Body?["code"]}, expected {status} {code}");
            }
        }

        foreach (var (query, code) in new[] { ("limit=0", "validation_failed"), ("limit=1000", "validation_failed"), ("limit=x", "validation_failed"), ("continuation=garbage", "validation_failed") })
        {
            var answer = await Send(client, HttpMethod.Get, "/api/v1/creators/me/earnings?" + query, creator);
            if (answer.Status != 400 || (string?)answer.Body?["code"] != code)
            {
                failures.Add($"GET earnings?{query}: {answer.Status} {answer.Body?["code"]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty((await EarningsAsync(client, creator))["items"]!.AsArray());
        Assert.False((bool)(await Send(client, HttpMethod.Get, $"/api/v1/marketplace/items/{paid}", buyer)).Body!["purchased"]!);

        // Another tenant's buyer cannot see, buy or install alpha's item.
        using var beta = Factory.Tenant("beta");
        var betaUser = UserId.Parse((string)(await beta.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        var betaToken = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse("beta"), betaUser, Role.User, default)).Value;
        Assert.Equal(404, (await Send(beta, HttpMethod.Post, $"/api/v1/marketplace/items/{paid}/purchase", betaToken)).Status);
        Assert.Empty((await EarningsAsync(beta, betaToken))["items"]!.AsArray());
    }

    protected async Task Earnings_page_with_a_continuation_and_totals_per_currency_core()
    {
        var (client, _, buyerId, creator, creatorId, admin) = await PartiesAsync();
        using var _client = client;
        var item = await MarketplaceCalls.PublishAsync(client, creator, admin, PaidItemJson());
        var sessions = Enumerable.Range(0, 5).Select(_ => (Metadata(Guid.NewGuid().ToString("D"), item, buyerId, creatorId), NewId("cs"))).ToList();
        await DeliverAllAsync(sessions.Select(s => Completed(NewId("evt"), Now, s.Item2, s.Item1)), concurrently: false);

        var seen = new List<string>();
        string? continuation = null;
        for (var page = 0; page < 10; page++)
        {
            var answer = await Send(client, HttpMethod.Get, "/api/v1/creators/me/earnings?limit=2" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation)), creator);
            Assert.True(answer.Status == 200, answer.Text);
            if (continuation is null)
            {
                Assert.Equal(5 * 799L, (long)answer.Body!["totals"]!["USD"]!);
            }
            else
            {
                Assert.Null(answer.Body!["totals"]); // computed once, on the first page
            }

            seen.AddRange(answer.Body!["items"]!.AsArray().Select(e => (string)e!["created_at"]! + (long)e!["amount_cents"]!));
            continuation = (string?)answer.Body!["continuation"];
            if (continuation is null)
            {
                break;
            }
        }

        Assert.Equal(5, seen.Count);
        Assert.Null(continuation);

        // A continuation is bound to its creator: another caller cannot use it.
        var first = await Send(client, HttpMethod.Get, "/api/v1/creators/me/earnings?limit=2", creator);
        var foreign = await Send(client, HttpMethod.Get, "/api/v1/creators/me/earnings?continuation=" + Uri.EscapeDataString((string)first.Body!["continuation"]!), admin);
        Assert.Equal(400, foreign.Status);
    }
}
