using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Identity;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// The AI proxy and campaign text per store, with the scripted provider under the real AI pipeline: the allowance is
/// used first, then credits (hold → settle), a cached answer costs nothing, a failed call gives back the use or the
/// credits, concurrent generations never hold more credits than the wallet has, and campaign text fits its channel.
/// </summary>
public abstract class AiApiScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    protected abstract AiApiFactory Factory { get; }

    private async Task<(HttpClient Client, UserId User)> CallerAsync(Role role)
    {
        var client = Factory.Tenant("alpha");
        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }); // takes 1 of the 10 daily uses
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(Alpha, user, role, default)).Value;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, user);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> GenerateAsync(HttpClient client, string prompt)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/ai/generate", new { prompt });
        return (response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }

    private async Task<WalletBalance> CreditsAsync(UserId user) =>
        await Factory.Services.GetRequiredService<WalletService>().GetBalanceAsync(new WalletKey(Alpha, user, WalletKind.Credits), default);

    private async Task GiveCreditsAsync(UserId user, long credits) =>
        Assert.True((await Factory.Services.GetRequiredService<WalletService>().CreditAsync(new WalletKey(Alpha, user, WalletKind.Credits), LedgerEntryKind.TopUp, credits, "test-top-up:" + Guid.NewGuid().ToString("N"), null, default)).Value.Succeeded);

    private static async Task<long> UsesLeftAsync(HttpClient client, UserId user)
    {
        var (status, body) = await client.GetQuotaAsync(user.Value, client.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(200, status);
        return (long)body["hits_remaining"]!;
    }

    /// <summary>Spends what is left of the plan allowance with distinct prompts.</summary>
    private static async Task ExhaustAllowanceAsync(HttpClient client, UserId user)
    {
        for (var left = await UsesLeftAsync(client, user); left > 0; left--)
        {
            var (status, body) = await GenerateAsync(client, $"use {left} {Guid.NewGuid():N}");
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            Assert.Equal(0, (long)body["credits_spent"]!);
        }

        Assert.Equal(0, await UsesLeftAsync(client, user));
    }

    protected async Task An_account_that_never_used_the_extension_gets_the_free_plans_uses_core()
    {
        // A website account (signed up, never identified): no quota account exists until a use is asked for.
        var client = Factory.Tenant("alpha");
        var user = UserId.New();
        var token = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(Alpha, user, Role.User, default)).Value;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var (status, body) = await GenerateAsync(client, "First question " + Guid.NewGuid().ToString("N"));

        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(0, (long)body["credits_spent"]!);
        Assert.Equal(9, await UsesLeftAsync(client, user)); // the free plan's 10 a day, one spent
        Assert.Equal(WalletBalance.Empty, await CreditsAsync(user));
    }

    protected async Task The_allowance_pays_first_then_credits_and_a_cached_answer_is_free_core()
    {
        var (client, user) = await CallerAsync(Role.User);
        Assert.Equal(9, await UsesLeftAsync(client, user));
        var (status, first) = await GenerateAsync(client, "What is a ledger " + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, (long)first["credits_spent"]!);
        Assert.False((bool)first["cached"]!);
        Assert.StartsWith("answer: What is a ledger", (string)first["text"]!, StringComparison.Ordinal);
        Assert.Equal(8, await UsesLeftAsync(client, user));

        await ExhaustAllowanceAsync(client, user);
        var (refused, problem) = await GenerateAsync(client, "one more " + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused);
        Assert.Equal("insufficient_credits", (string)problem["code"]!);
        Assert.Equal(WalletBalance.Empty, await CreditsAsync(user));

        await GiveCreditsAsync(user, 3);
        var prompt = "Write a haiku about ledgers " + Guid.NewGuid().ToString("N");
        var calls = Factory.Provider.Calls;
        var (paid, answer) = await GenerateAsync(client, prompt);
        Assert.Equal(HttpStatusCode.OK, paid);
        Assert.Equal((1L, false), ((long)answer["credits_spent"]!, (bool)answer["cached"]!));
        Assert.Equal(new WalletBalance(2, 0), await CreditsAsync(user));

        // The same prompt, differently spaced and cased: the tenant's cache answers, the provider is not called, no credit is spent.
        var (again, cached) = await GenerateAsync(client, "  " + prompt.ToUpperInvariant().Replace(" ", "   ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal((0L, true), ((long)cached["credits_spent"]!, (bool)cached["cached"]!));
        Assert.Equal((string)answer["text"]!, (string)cached["text"]!);
        Assert.Equal(calls + 1, Factory.Provider.Calls);
        Assert.Equal(new WalletBalance(2, 0), await CreditsAsync(user));
        using var credits = await client.GetAsync("/api/v1/credits/me");
        Assert.Equal(2, (long)(await ApiCalls.ReadObjectAsync(credits))["balance"]!);
    }

    protected async Task A_failed_generation_gives_back_the_use_or_the_credits_core()
    {
        var (client, user) = await CallerAsync(Role.User);
        var (failed, problem) = await GenerateAsync(client, "FAIL please " + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal("ai_unavailable", (string)problem["code"]!);
        Assert.Equal(9, await UsesLeftAsync(client, user)); // reserved, then released

        await ExhaustAllowanceAsync(client, user);
        await GiveCreditsAsync(user, 2);
        (failed, problem) = await GenerateAsync(client, "FAIL again " + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(new WalletBalance(2, 0), await CreditsAsync(user));

        // The ledger shows the hold and its release: credits were reserved, then all given back.
        var entries = await Factory.Services.GetRequiredService<IWalletStore>().ListEntriesAsync(new WalletKey(Alpha, user, WalletKind.Credits), null, 10, default);
        Assert.Equal([LedgerEntryKind.Release, LedgerEntryKind.Hold, LedgerEntryKind.TopUp], entries.Select(e => e.Kind));
        Assert.Equal([-1L, 1L, 0L], entries.Select(e => e.HeldDelta));
    }

    protected async Task Credit_holds_left_by_a_dead_process_are_released_by_the_next_paid_generation_core()
    {
        var (client, user) = await CallerAsync(Role.User);
        await ExhaustAllowanceAsync(client, user);
        await GiveCreditsAsync(user, 5);
        var wallets = Factory.Services.GetRequiredService<WalletService>();
        var wallet = new WalletKey(Alpha, user, WalletKind.Credits);

        // Holds of generations whose process died: one older than the TTL (5 minutes), one of a call still running.
        var now = Factory.Clock.GetUtcNow();
        var stale = GenerateAnswer.HoldPrefix + Guid.CreateVersion7(now - TimeSpan.FromMinutes(6)).ToString("N");
        var running = GenerateAnswer.HoldPrefix + Guid.CreateVersion7(now - TimeSpan.FromMinutes(1)).ToString("N");
        foreach (var key in new[] { stale, running })
        {
            Assert.True((await wallets.HoldAsync(wallet, 1, key, key, default)).Value.Succeeded);
        }

        Assert.Equal(new WalletBalance(5, 2), await CreditsAsync(user));

        var (status, answer) = await GenerateAsync(client, "after a crash " + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1L, (long)answer["credits_spent"]!);
        Assert.Equal(new WalletBalance(4, 1), await CreditsAsync(user)); // the stale hold released, the running one kept
        Assert.Equal([running], (await wallets.ListOpenHoldsAsync(wallet, default)).Keys);
    }

    protected async Task A_settlement_failing_after_the_answer_returns_the_answer_uncharged_core()
    {
        var (client, user) = await CallerAsync(Role.User);
        await ExhaustAllowanceAsync(client, user);
        await GiveCreditsAsync(user, 3);
        var wallets = Factory.Services.GetRequiredService<WalletService>();
        var wallet = new WalletKey(Alpha, user, WalletKind.Credits);

        // While the provider answers, the generation's hold disappears (released as a sweep would): the settlement fails.
        Factory.Provider.Hook = async () =>
        {
            foreach (var key in (await wallets.ListOpenHoldsAsync(wallet, default)).Keys)
            {
                Assert.True((await wallets.ReleaseAsync(wallet, key, key, default)).Value.Succeeded);
            }
        };
        try
        {
            var (status, answer) = await GenerateAsync(client, "HOOK settle " + Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.StartsWith("answer: HOOK settle", (string)answer["text"]!, StringComparison.Ordinal);
            Assert.Equal(0L, (long)answer["credits_spent"]!);
        }
        finally
        {
            Factory.Provider.Hook = null;
        }

        Assert.Equal(new WalletBalance(3, 0), await CreditsAsync(user));
    }

    protected async Task Concurrent_generations_never_hold_more_credits_than_the_wallet_has_core()
    {
        var (client, user) = await CallerAsync(Role.User);
        await ExhaustAllowanceAsync(client, user);
        await GiveCreditsAsync(user, 5);
        var generate = Factory.Services.GetRequiredService<GenerateAnswer>();
        var tenant = Factory.Services.GetRequiredService<Shared.Domain.Tenants.ITenantDirectory>();
        var alpha = (await tenant.FindAsync(Alpha, default))!;

        // 16 at once, distinct prompts (no cache): exactly 5 are paid, the rest refused with nothing held.
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => generate.HandleAsync(alpha, user, $"concurrent {i} {Guid.NewGuid():N}", default))));
        Assert.Equal(5, results.Count(r => r.IsSuccess && r.Value.CreditsSpent == 1));
        Assert.Equal(11, results.Count(r => !r.IsSuccess && r.Error!.Code == "insufficient_credits"));
        Assert.Equal(WalletBalance.Empty, await CreditsAsync(user));
        var entries = await Factory.Services.GetRequiredService<IWalletStore>().ListEntriesAsync(new WalletKey(Alpha, user, WalletKind.Credits), null, 100, default);
        Assert.Equal(0, entries.Sum(e => e.Amount));
        Assert.All(entries, e => Assert.True(e.BalanceAfter >= 0 && e.HeldAfter >= 0 && e.HeldAfter <= e.BalanceAfter));
    }

    protected async Task Campaign_text_fits_its_channel_and_is_for_shopkeepers_only_core()
    {
        var (shopkeeper, _) = await CallerAsync(Role.Shopkeeper);
        var body = new { product = "Basmati rice 5 kg " + Guid.NewGuid().ToString("N")[..6], discount = 20, tone = "festive", language = "hi-in", channel = "whatsapp" };
        using var response = await shopkeeper.PostAsJsonAsync("/api/v1/campaigns/text", body);
        var json = await ApiCalls.ReadObjectAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        var text = (string)json["text"]!;
        Assert.Equal(1_024, (int)json["max_length"]!);
        Assert.True(text.Length <= 1_024, $"{text.Length} characters");
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.False((bool)json["cached"]!);

        using var again = await shopkeeper.PostAsJsonAsync("/api/v1/campaigns/text", body with { language = "hi-IN" }); // the same tag, normalised
        var cached = await ApiCalls.ReadObjectAsync(again);
        Assert.True((bool)cached["cached"]!);
        Assert.Equal(text, (string)cached["text"]!);

        using var push = await shopkeeper.PostAsJsonAsync("/api/v1/campaigns/text", body with { channel = "push" });
        var pushText = (string)(await ApiCalls.ReadObjectAsync(push))["text"]!;
        Assert.True(pushText.Length is > 100 and <= 240, $"{pushText.Length} characters");

        var (user, _) = await CallerAsync(Role.User);
        using var forbidden = await user.PostAsJsonAsync("/api/v1/campaigns/text", body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    protected async Task Bad_input_is_refused_with_a_code_and_charges_nothing_core()
    {
        var (client, user) = await CallerAsync(Role.Shopkeeper);
        var calls = Factory.Provider.Calls;
        var cases = new (string Path, string Body, string ContentType, HttpStatusCode Status, string Code, string? Field)[]
        {
            ("/api/v1/ai/generate", "{}", "application/json", HttpStatusCode.BadRequest, "validation_failed", "prompt"),
            ("/api/v1/ai/generate", """{"prompt":"   "}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "prompt"),
            ("/api/v1/ai/generate", """{"prompt":"bell \u0007"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "prompt"),
            ("/api/v1/ai/generate", "{\"prompt\":\"" + new string('x', 4_001) + "\"}", "application/json", HttpStatusCode.BadRequest, "validation_failed", "prompt"),
            ("/api/v1/ai/generate", """{"prompt":12}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", null),
            ("/api/v1/ai/generate", "{not json", "application/json", HttpStatusCode.BadRequest, "invalid_json", null),
            ("/api/v1/ai/generate", """{"prompt":"hi"}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", null),
            ("/api/v1/ai/generate", "{\"prompt\":\"" + new string('x', 40_000) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload_too_large", null),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":20,"tone":"angry","language":"en","channel":"whatsapp"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "tone"),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":20,"tone":"friendly","language":"en","channel":"sms"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "channel"),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":20,"tone":"friendly","language":"english please","channel":"push"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "language"),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":20,"tone":"friendly","language":"e","channel":"push"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "language"),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":0,"tone":"friendly","language":"en","channel":"push"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "discount"),
            ("/api/v1/campaigns/text", """{"product":"Rice","discount":101,"tone":"friendly","language":"en","channel":"push"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "discount"),
            ("/api/v1/campaigns/text", """{"product":"","discount":10,"tone":"friendly","language":"en","channel":"push"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed", "product"),
            ("/api/v1/campaigns/text", "{\"product\":\"" + new string('p', 201) + "\",\"discount\":10,\"tone\":\"friendly\",\"language\":\"en\",\"channel\":\"push\"}", "application/json", HttpStatusCode.BadRequest, "validation_failed", "product"),
            ("/api/v1/campaigns/text", "{}", "application/json", HttpStatusCode.BadRequest, "validation_failed", "tone"),
            ("/api/v1/campaigns/text", "[1]", "application/json", HttpStatusCode.BadRequest, "invalid_json", null),
        };
        foreach (var c in cases)
        {
            using var content = new StringContent(c.Body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(c.ContentType);
            using var response = await client.PostAsync(c.Path, content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(c.Status == response.StatusCode, $"{c.Path} {c.Body[..Math.Min(60, c.Body.Length)]}: {(int)response.StatusCode} {body}");
            Assert.Contains($"\"code\":\"{c.Code}\"", body, StringComparison.Ordinal);
            if (c.Field is not null)
            {
                Assert.Contains($"\"{c.Field}\"", body, StringComparison.Ordinal);
            }
        }

        Assert.Equal(calls, Factory.Provider.Calls);
        Assert.Equal(9, await UsesLeftAsync(client, user));
    }
}
