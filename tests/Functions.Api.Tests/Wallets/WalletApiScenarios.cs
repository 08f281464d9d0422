using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// Wallet endpoints per store: a top-up through the local payment sandbox credited by the real webhook path, the same
/// top-up's webhook replayed and delivered late → credited once, a refund after partial spend, credits, and bad input.
/// </summary>
public abstract class WalletApiScenarios
{
    protected abstract ApiFactory Factory { get; }

    /// <summary>A new alpha user and a client sending a token of the given role for them.</summary>
    private async Task<(HttpClient Client, UserId User)> CallerAsync(Role role)
    {
        var client = Factory.Tenant("alpha");
        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse("alpha"), user, role, default)).Value;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, user);
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var json = await ApiCalls.ReadObjectAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}: {json}");
        return json;
    }

    private static async Task<JsonObject> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await OkAsync(response);
    }

    private async Task PayAsync(string checkoutUrl)
    {
        using var browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var path = new Uri(checkoutUrl).PathAndQuery;
        Assert.Contains("LOCAL PAYMENT SANDBOX", await browser.GetStringAsync(path), StringComparison.Ordinal);
        using var paid = await browser.PostAsync(path + "/pay", null);
        Assert.True(paid.StatusCode == HttpStatusCode.SeeOther, $"pay answered {(int)paid.StatusCode}: {await paid.Content.ReadAsStringAsync()}");
    }

    /// <summary>checkout.session.completed of a wallet top-up, as Stripe sends it (payment mode, our metadata).</summary>
    private static string TopUpCompleted(string eventId, DateTimeOffset created, string session, UserId user, string wallet, long quantity, long unit, string? topUpId = null, string type = "checkout.session.completed", string paymentStatus = "paid") =>
        StripeEventJson.Event(eventId, type, created, new
        {
            id = session,
            @object = "checkout.session",
            mode = "payment",
            status = "complete",
            payment_status = paymentStatus,
            amount_total = quantity * unit,
            currency = "usd",
            client_reference_id = user.Value,
            created = created.ToUnixTimeSeconds(),
            metadata = Metadata(user, wallet, quantity, unit, topUpId),
        });

    private static string TopUpRefunded(string eventId, DateTimeOffset created, string charge, UserId user, long amount, long refunded, string? topUpId = null) =>
        StripeEventJson.Event(eventId, "charge.refunded", created, new
        {
            id = charge,
            @object = "charge",
            amount,
            amount_refunded = refunded,
            currency = "usd",
            created = created.ToUnixTimeSeconds(),
            metadata = Metadata(user, "money", amount, 1, topUpId),
        });

    private static Dictionary<string, string> Metadata(UserId user, string wallet, long quantity, long unit, string? topUpId = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["tenant_id"] = "alpha",
            ["user_id"] = user.Value,
            ["purpose"] = "wallet_top_up",
            ["wallet"] = wallet,
            ["quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["unit_amount"] = unit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (topUpId is not null)
        {
            metadata["top_up_id"] = topUpId;
        }

        return metadata;
    }

    private async Task DeliverOkAsync(string json)
    {
        using var webhook = Factory.Tenant("alpha");
        using var answer = await webhook.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.GetUtcNow());
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"webhook answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// One shopkeeper's wallet after: 300 of other money, then a 1,000 top-up refunded in full, its two events in the
    /// given order (each delivered twice), then 200 spent. The answer is the balance and the ledger's kinds and amounts.
    /// </summary>
    private async Task<(long Balance, long LedgerSum, string[] Kinds)> RefundedTopUpAsync(bool refundFirst)
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var now = Factory.Clock.GetUtcNow();
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, NewId("cs"), user, "money", 300, 1, "tu_" + Guid.NewGuid().ToString("N")));
        var topUp = "tu_" + Guid.NewGuid().ToString("N");
        var credit = TopUpCompleted(NewId("evt"), now, NewId("cs"), user, "money", 1_000, 1, topUp);
        var refund = TopUpRefunded(NewId("evt"), now, NewId("ch"), user, 1_000, 1_000, topUp);
        foreach (var json in refundFirst ? new[] { refund, refund, credit, credit } : [credit, credit, refund, refund])
        {
            await DeliverOkAsync(json);
        }

        // A redelivery of the credit under a new event id changes nothing either.
        await DeliverOkAsync(credit.Replace("\"evt_", "\"evt_1", StringComparison.Ordinal));
        var wallets = Factory.Services.GetRequiredService<Shared.Domain.Wallets.WalletService>();
        var key = new Shared.Domain.Wallets.WalletKey(TenantId.Parse("alpha"), user, Shared.Domain.Wallets.WalletKind.Money);
        Assert.Equal(Shared.Domain.Wallets.WalletOutcome.Applied, (await wallets.DebitAsync(key, Shared.Domain.Wallets.LedgerEntryKind.Charge, 200, "spend", null, default)).Value.Outcome);
        Assert.Equal(Shared.Domain.Wallets.WalletOutcome.InsufficientFunds, (await wallets.DebitAsync(key, Shared.Domain.Wallets.LedgerEntryKind.Charge, 101, "spend-more", null, default)).Value.Outcome);

        var wallet = await GetOkAsync(client, "/api/v1/wallets/me");
        var items = (await GetOkAsync(client, "/api/v1/wallets/me/entries"))["items"]!.AsArray();
        return ((long)wallet["balance_cents"]!, items.Sum(i => (long)i!["amount_cents"]!), [.. items.Select(i => $"{(string)i!["kind"]!}:{(long)i["amount_cents"]!}")]);
    }

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    protected async Task A_top_up_paid_in_the_sandbox_is_credited_through_the_webhook_core()
    {
        var (client, _) = await CallerAsync(Role.Shopkeeper);
        Assert.Equal("""{"balance_cents":0,"held_cents":0,"currency":"USD"}""", (await GetOkAsync(client, "/api/v1/wallets/me")).ToJsonString());

        using var started = await client.PostAsJsonAsync("/api/v1/wallets/me/top-ups", new { amount_cents = 2_500 });
        var session = await OkAsync(started);
        Assert.StartsWith("cs_sandbox_", (string)session["session_id"]!, StringComparison.Ordinal);
        Assert.Equal(0, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!); // nothing before the payment
        await PayAsync((string)session["checkout_url"]!);

        var wallet = await GetOkAsync(client, "/api/v1/wallets/me");
        Assert.Equal(2_500, (long)wallet["balance_cents"]!);
        var entries = await GetOkAsync(client, "/api/v1/wallets/me/entries");
        var entry = Assert.Single(entries["items"]!.AsArray())!;
        Assert.Equal("top_up", (string)entry["kind"]!);
        Assert.Equal(2_500, (long)entry["amount_cents"]!);
        Assert.Equal(2_500, (long)entry["balance_after_cents"]!);
        Assert.StartsWith("tu_", (string)entry["reference"]!, StringComparison.Ordinal); // the top-up id its refunds share
        Assert.Equal(Factory.Clock.GetUtcNow(), (DateTimeOffset)entry["created_at"]!);
        Assert.Null(entries["continuation"]);

        // Paying the same session again is refused by the sandbox (it is closed); the balance stays.
        using var browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var again = await browser.PostAsync(new Uri((string)session["checkout_url"]!).PathAndQuery + "/pay", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(2_500, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
    }

    protected async Task A_top_up_webhook_replayed_five_times_and_out_of_order_is_credited_once_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var session = NewId("cs");
        var now = Factory.Clock.GetUtcNow();
        var sameEvent = TopUpCompleted(NewId("evt"), now, session, user, "money", 1_000, 1);
        using var webhook = Factory.Tenant("alpha");

        // Five deliveries at once: the same event three times, and two redeliveries under new event ids.
        var deliveries = new[] { sameEvent, sameEvent, sameEvent, TopUpCompleted(NewId("evt"), now, session, user, "money", 1_000, 1), TopUpCompleted(NewId("evt"), now, session, user, "money", 1_000, 1) };
        var answers = await Task.WhenAll(deliveries.Select(json => Task.Run(() => webhook.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, now))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1_000, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);

        // A later top-up, then the first one's event delivered late (after the second): still credited once each.
        var second = NewId("cs");
        using (var later = await webhook.DeliverAsync("alpha", TopUpCompleted(NewId("evt"), now.AddMinutes(1), second, user, "money", 300, 1), ApiFactory.WebhookSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }

        using (var late = await webhook.DeliverAsync("alpha", TopUpCompleted(NewId("evt"), now, session, user, "money", 1_000, 1), ApiFactory.WebhookSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        }

        Assert.Equal(1_300, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
        Assert.Equal(2, (await GetOkAsync(client, "/api/v1/wallets/me/entries"))["items"]!.AsArray().Count);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    protected async Task A_refund_after_partial_spend_takes_back_what_is_left_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var now = Factory.Clock.GetUtcNow();
        using var webhook = Factory.Tenant("alpha");
        using (var paid = await webhook.DeliverAsync("alpha", TopUpCompleted(NewId("evt"), now, NewId("cs"), user, "money", 1_000, 1), ApiFactory.WebhookSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        var wallets = Factory.Services.GetRequiredService<Shared.Domain.Wallets.WalletService>();
        var key = new Shared.Domain.Wallets.WalletKey(TenantId.Parse("alpha"), user, Shared.Domain.Wallets.WalletKind.Money);
        Assert.True((await wallets.DebitAsync(key, Shared.Domain.Wallets.LedgerEntryKind.Charge, 700, "campaign-1", "campaign:1", default)).Value.Succeeded);

        // Refunded in two steps (cumulative 400, then 1,000), the second event delivered twice.
        var charge = NewId("ch");
        foreach (var (refunded, times) in new[] { (400L, 1), (1_000L, 2) })
        {
            var json = TopUpRefunded(NewId("evt"), now, charge, user, 1_000, refunded);
            for (var i = 0; i < times; i++)
            {
                using var answer = await webhook.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, now);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        }

        Assert.Equal("""{"balance_cents":0,"held_cents":0,"currency":"USD"}""", (await GetOkAsync(client, "/api/v1/wallets/me")).ToJsonString());
        var items = (await GetOkAsync(client, "/api/v1/wallets/me/entries"))["items"]!.AsArray();
        Assert.Equal(["refund", "refund", "charge", "top_up"], items.Select(i => (string)i!["kind"]!));
        Assert.Equal([0L, -300L, -700L, 1_000L], items.Select(i => (long)i!["amount_cents"]!));
        Assert.Equal([600L, 100L, 0L, 0L], items.Select(i => (long)i!["shortfall_cents"]!));
    }

    protected async Task A_refund_before_its_top_up_nets_the_same_as_one_after_core()
    {
        var after = await RefundedTopUpAsync(refundFirst: false);
        var before = await RefundedTopUpAsync(refundFirst: true);

        // The same money is left either way: 300 - 200; the refunded 1,000 is never spendable.
        Assert.Equal((100L, 100L), (after.Balance, after.LedgerSum));
        Assert.Equal((100L, 100L), (before.Balance, before.LedgerSum));
        Assert.Equal(["charge:-200", "refund:-1000", "top_up:1000", "top_up:300"], after.Kinds);

        // Refund first: it found 300 and took it (700 short); the credit then took the 700 back from itself.
        Assert.Equal(["charge:-200", "refund:-700", "top_up:1000", "refund:-300", "top_up:300"], before.Kinds);
    }

    protected async Task A_refund_before_its_top_up_on_an_empty_wallet_leaves_nothing_spendable_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var now = Factory.Clock.GetUtcNow();
        var topUp = "tu_" + Guid.NewGuid().ToString("N");
        await DeliverOkAsync(TopUpRefunded(NewId("evt"), now, NewId("ch"), user, 1_000, 400, topUp)); // partial first
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, NewId("cs"), user, "money", 1_000, 1, topUp));
        Assert.Equal(600, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
        await DeliverOkAsync(TopUpRefunded(NewId("evt"), now, NewId("ch"), user, 1_000, 1_000, topUp)); // then the rest, after
        Assert.Equal(0, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
        var items = (await GetOkAsync(client, "/api/v1/wallets/me/entries"))["items"]!.AsArray();
        Assert.Equal(["refund:-600:0", "refund:-400:0", "top_up:1000:0", "refund:0:400"], items.Select(i => $"{(string)i!["kind"]!}:{(long)i["amount_cents"]!}:{(long)i["shortfall_cents"]!}"));
    }

    protected async Task A_delayed_payment_is_credited_once_when_it_succeeds_and_never_when_it_fails_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var now = Factory.Clock.GetUtcNow();

        // A delayed method: completed unpaid (nothing yet), then async_payment_succeeded, delivered three times.
        var session = NewId("cs");
        var topUp = "tu_" + Guid.NewGuid().ToString("N");
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, session, user, "money", 700, 1, topUp, paymentStatus: "unpaid"));
        Assert.Equal(0, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
        var succeeded = TopUpCompleted(NewId("evt"), now, session, user, "money", 700, 1, topUp, "checkout.session.async_payment_succeeded");
        await DeliverOkAsync(succeeded);
        await DeliverOkAsync(succeeded);
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, session, user, "money", 700, 1, topUp, "checkout.session.async_payment_succeeded"));
        Assert.Equal(700, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);

        // Another one that fails: completed unpaid, then async_payment_failed: nothing credited.
        var failedSession = NewId("cs");
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, failedSession, user, "money", 500, 1, paymentStatus: "unpaid"));
        await DeliverOkAsync(TopUpCompleted(NewId("evt"), now, failedSession, user, "money", 500, 1, type: "checkout.session.async_payment_failed", paymentStatus: "unpaid"));
        Assert.Equal(700, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
        Assert.Single((await GetOkAsync(client, "/api/v1/wallets/me/entries"))["items"]!.AsArray());

        // A malformed top-up id is refused (400) and credits nothing.
        using var webhook = Factory.Tenant("alpha");
        using var bad = await webhook.DeliverAsync("alpha", TopUpCompleted(NewId("evt"), now, NewId("cs"), user, "money", 500, 1, "tu_NOT-HEX"), ApiFactory.WebhookSecret, now);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(700, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);
    }

    protected async Task A_top_up_gets_one_invoice_however_often_its_webhook_comes_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var now = Factory.Clock.GetUtcNow();
        var topUp = "tu_" + Guid.NewGuid().ToString("N");
        var session = NewId("cs");
        var completed = TopUpCompleted(NewId("evt"), now, session, user, "money", 2_000, 1, topUp);
        using var webhook = Factory.Tenant("alpha");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => webhook.DeliverAsync("alpha", i < 2 ? completed : TopUpCompleted(NewId("evt"), now, session, user, "money", 2_000, 1, topUp), ApiFactory.WebhookSecret, now))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        var list = await GetOkAsync(client, "/api/v1/invoices");
        var invoice = Assert.Single(list["items"]!.AsArray())!;
        Assert.Null(list["continuation"]);
        Assert.Equal(("top_up", topUp, "USD", 2_000L, 0L, 2_000L), ((string)invoice["source_kind"]!, (string)invoice["source_reference"]!, (string)invoice["currency"]!, (long)invoice["total_cents"]!, (long)invoice["tax_cents"]!, (long)invoice["net_cents"]!));
        var number = (string)invoice["number"]!;
        Assert.Matches("^INV-2026-[0-9]{6}$", number);
        Assert.Equal(invoice.ToJsonString(), (await GetOkAsync(client, "/api/v1/invoices/" + number)).ToJsonString());

        // Another user of the tenant sees neither the invoice nor its number; bad numbers and continuations are refused.
        var (stranger, _) = await CallerAsync(Role.Shopkeeper);
        Assert.Empty((await GetOkAsync(stranger, "/api/v1/invoices"))["items"]!.AsArray());
        foreach (var path in new[] { "/api/v1/invoices/" + number, "/api/v1/invoices/INV-1", "/api/v1/invoices/nope", "/api/v1/invoices/INV-2026-999999" })
        {
            using var missing = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("\"code\":\"invoice_not_found\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(list.ToJsonString(), (await GetOkAsync(client, "/api/v1/invoices?continuation=")).ToJsonString());
        foreach (var continuation in new[] { "abc", "-1", "2026", "20260000000000001", "2026000000000001", Shared.Domain.Common.ContinuationText.Encode("i1:x"), Shared.Domain.Common.ContinuationText.Encode("2026000000000001") })
        {
            using var bad = await client.GetAsync($"/api/v1/invoices?continuation={Uri.EscapeDataString(continuation)}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\"code\":\"invalid_continuation\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    protected async Task Credits_are_bought_at_the_tenant_price_and_credited_once_core()
    {
        var (client, _) = await CallerAsync(Role.User);
        Assert.Equal(0, (long)(await GetOkAsync(client, "/api/v1/credits/me"))["balance"]!);

        using var started = await client.PostAsJsonAsync("/api/v1/credits/me/top-ups", new { credits = 40 });
        var session = await OkAsync(started);
        using (var browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            Assert.Contains("USD 2.00", await browser.GetStringAsync(new Uri((string)session["checkout_url"]!).PathAndQuery), StringComparison.Ordinal); // 40 × 5 cents
        }

        await PayAsync((string)session["checkout_url"]!);
        Assert.Equal(40, (long)(await GetOkAsync(client, "/api/v1/credits/me"))["balance"]!);

        // A plain user has no money wallet (shopkeepers only).
        using var forbidden = await client.GetAsync("/api/v1/wallets/me");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    protected async Task Bad_input_is_refused_with_a_code_and_changes_nothing_core()
    {
        var (client, _) = await CallerAsync(Role.Shopkeeper);
        var cases = new (string Path, string? Body, string ContentType, HttpStatusCode Status, string Code)[]
        {
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":0}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":-100}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":99}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":1000001}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":"12"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":1.5}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":99999999999999999999}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", "{}", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/wallets/me/top-ups", "{not json", "application/json", HttpStatusCode.BadRequest, "invalid_json"),
            ("/api/v1/wallets/me/top-ups", "", "application/json", HttpStatusCode.BadRequest, "invalid_json"),
            ("/api/v1/wallets/me/top-ups", """{"amount_cents":500}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("/api/v1/wallets/me/top-ups", "{\"amount_cents\":500,\"pad\":\"" + new string('x', 20_000) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
            ("/api/v1/credits/me/top-ups", """{"credits":0}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/credits/me/top-ups", """{"credits":19}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"), // 19 × 5 < 100 cents
            ("/api/v1/credits/me/top-ups", """{"credits":100001}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("/api/v1/credits/me/top-ups", """{"amount_cents":500}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
        };
        foreach (var c in cases)
        {
            using var content = new StringContent(c.Body ?? "", Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(c.ContentType);
            using var response = await client.PostAsync(c.Path, content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(c.Status == response.StatusCode, $"{c.Path} {c.Body?[..Math.Min(40, c.Body.Length)]}: {(int)response.StatusCode} {body}");
            Assert.Contains($"\"code\":\"{c.Code}\"", body, StringComparison.Ordinal);
        }

        foreach (var continuation in new[] { "abc", "-1", "0", "1.5", "99999999999999999999" })
        {
            using var response = await client.GetAsync($"/api/v1/wallets/me/entries?continuation={Uri.EscapeDataString(continuation)}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("\"code\":\"invalid_continuation\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (long)(await GetOkAsync(client, "/api/v1/wallets/me"))["balance_cents"]!);

        // A tenant without credits (beta has a wallet currency but no credit price) and one without wallets (gamma).
        var betaUser = UserId.New();
        using var beta = Factory.Tenant("beta");
        beta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse("beta"), betaUser, Role.Shopkeeper, default)).Value);
        using var noCredits = await beta.GetAsync("/api/v1/credits/me");
        Assert.Equal(HttpStatusCode.NotFound, noCredits.StatusCode);
        Assert.Contains("credits_not_enabled", await noCredits.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("INR", (string)(await GetOkAsync(beta, "/api/v1/wallets/me"))["currency"]!);
        using var gamma = Factory.Tenant("gamma");
        gamma.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse("gamma"), UserId.New(), Role.Shopkeeper, default)).Value);
        using var noWallets = await gamma.GetAsync("/api/v1/wallets/me");
        Assert.Equal(HttpStatusCode.NotFound, noWallets.StatusCode);
        Assert.Contains("wallets_not_enabled", await noWallets.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
