using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Identity;
using Xunit;

namespace Functions.Api.Tests.Campaigns;

/// <summary>The offer, preference and campaign endpoints end to end: the contract's shapes, ownership, and bad input on every endpoint.</summary>
public sealed class CampaignEndpointTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private ApiFactory Factory => fixture.Factory;

    private async Task<(HttpClient Client, UserId User)> CallerAsync(Role role, string tenant = "alpha")
    {
        var client = Factory.Tenant(tenant);
        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = (await Factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(TenantId.Parse(tenant), user, role, default)).Value;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, user);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpClient client, string method, string path, string? json = null, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (header is var (name, value))
        {
            request.Headers.Add(name, value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, await ApiCalls.ReadObjectAsync(response), response);
    }

    private string OfferJson(string pins = "\"560001\"", int discount = 15) =>
        $$"""{"title":"Diwali sweets","description":"Fresh","discount_percent":{{discount}},"pin_codes":[{{pins}}],"valid_from":"{{Factory.Clock.GetUtcNow().AddHours(-1):O}}","valid_until":"{{Factory.Clock.GetUtcNow().AddDays(5):O}}"}""";

    [Fact]
    public async Task A_shopkeeper_publishes_an_offer_customers_find_and_like_it_and_a_campaign_is_accepted_and_readable_by_its_owner_only()
    {
        var (shop, shopkeeper) = await CallerAsync(Role.Shopkeeper);
        var (customer, _) = await CallerAsync(Role.User);
        var (otherShop, _) = await CallerAsync(Role.Shopkeeper);

        var (status, offer, response) = await SendAsync(shop, "POST", "/api/v1/offers", OfferJson("\"560001\",\"560002\""));
        Assert.Equal(HttpStatusCode.Created, status);
        var offerId = (string)offer["id"]!;
        Assert.Equal($"/api/v1/offers/{offerId}", response.Headers.Location!.OriginalString);

        var (_, list, _) = await SendAsync(customer, "GET", "/api/v1/offers?pin_code=560002");
        Assert.Contains(list["items"]!.AsArray(), i => (string)i!["id"]! == offerId);
        Assert.Equal(1, (long)(await SendAsync(customer, "POST", $"/api/v1/offers/{offerId}/like")).Body["like_count"]!);
        Assert.Equal(1, (long)(await SendAsync(customer, "POST", $"/api/v1/offers/{offerId}/like")).Body["like_count"]!);
        Assert.Equal(0, (long)(await SendAsync(customer, "DELETE", $"/api/v1/offers/{offerId}/like")).Body["like_count"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(otherShop, "PUT", $"/api/v1/offers/{offerId}", OfferJson())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(otherShop, "DELETE", $"/api/v1/offers/{offerId}")).Status);

        var (put, prefs, _) = await SendAsync(customer, "PUT", "/api/v1/customers/me/preferences", """{"pin_codes":["560001"],"channels":{"in_app":true,"push":false,"whatsapp":true}}""");
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal("""{"pin_codes":["560001"],"channels":{"in_app":true,"push":false,"whatsapp":true}}""", prefs.ToJsonString());
        Assert.Equal(prefs.ToJsonString(), (await SendAsync(customer, "GET", "/api/v1/customers/me/preferences")).Body.ToJsonString());

        var (_, estimate, _) = await SendAsync(shop, "POST", "/api/v1/campaigns/estimate", """{"pin_codes":["560001"],"channels":["in_app","whatsapp"]}""");
        Assert.Equal("""{"audience":1,"messages":2,"cost_cents":90}""", estimate.ToJsonString()); // 10 in-app + 80 WhatsApp, the demo prices

        // No WhatsApp sender is configured here: refused at once rather than released by the worker later.
        var campaignJson = $$"""{"offer_id":"{{offerId}}","pin_codes":["560001"],"channels":["in_app","whatsapp"],"scheduled_at":"{{Factory.Clock.GetUtcNow().AddHours(1):O}}"}""";
        var (unavailable, problem, _) = await SendAsync(shop, "POST", "/api/v1/campaigns", campaignJson);
        Assert.Equal((HttpStatusCode.BadRequest, "channel_unavailable"), (unavailable, (string?)problem["code"]));

        // A retry under the same Idempotency-Key answers the first campaign; another body under it is a conflict.
        campaignJson = campaignJson.Replace("[\"in_app\",\"whatsapp\"]", "[\"in_app\"]", StringComparison.Ordinal);
        var (accepted, campaign, created) = await SendAsync(shop, "POST", "/api/v1/campaigns", campaignJson, ("Idempotency-Key", "create-1"));
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        var campaignId = (string)campaign["id"]!;
        Assert.Equal("queued", (string)campaign["status"]!);
        Assert.Equal($"/api/v1/campaigns/{campaignId}", created.Headers.Location!.OriginalString);
        var (again, repeated, repeatedResponse) = await SendAsync(shop, "POST", "/api/v1/campaigns", campaignJson, ("Idempotency-Key", "create-1"));
        Assert.Equal((HttpStatusCode.Accepted, campaignId, created.Headers.Location), (again, (string)repeated["id"]!, repeatedResponse.Headers.Location));
        var (reused, reusedProblem, _) = await SendAsync(shop, "POST", "/api/v1/campaigns", campaignJson.Replace("560001", "560002", StringComparison.Ordinal), ("Idempotency-Key", "create-1"));
        Assert.Equal((HttpStatusCode.Conflict, "idempotency_key_reused"), (reused, (string?)reusedProblem["code"]));
        var (badKey, badKeyProblem, _) = await SendAsync(shop, "POST", "/api/v1/campaigns", campaignJson, ("Idempotency-Key", new string('k', 129)));
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (badKey, (string?)badKeyProblem["code"]));
        Assert.Equal("queued", (string)(await SendAsync(shop, "GET", $"/api/v1/campaigns/{campaignId}")).Body["status"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(otherShop, "GET", $"/api/v1/campaigns/{campaignId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(otherShop, "POST", $"/api/v1/campaigns/{campaignId}/cancel")).Status);
        var (_, cancelled, _) = await SendAsync(shop, "POST", $"/api/v1/campaigns/{campaignId}/cancel");
        Assert.Equal(("cancelled", 0L), ((string)cancelled["status"]!, (long)cancelled["held_cents"]!));
        Assert.Equal(WalletBalance.Empty, await Factory.Services.GetRequiredService<WalletService>().GetBalanceAsync(new WalletKey(TenantId.Parse("alpha"), shopkeeper, WalletKind.Money), default));
    }

    [Fact]
    public async Task Bad_input_on_every_endpoint_is_a_coded_4xx_and_changes_nothing()
    {
        var (shop, shopkeeper) = await CallerAsync(Role.Shopkeeper);
        var (customer, _) = await CallerAsync(Role.User);
        var (_, offer, _) = await SendAsync(shop, "POST", "/api/v1/offers", OfferJson("\"110011\""));
        var offerId = (string)offer["id"]!;
        var (betaShop, _) = await CallerAsync(Role.Shopkeeper, "beta");
        var (_, betaOffer, _) = await SendAsync(betaShop, "POST", "/api/v1/offers", OfferJson("\"110011\""));
        var betaOfferId = (string?)betaOffer["id"];
        var past = Factory.Clock.GetUtcNow().AddDays(-1).ToString("O");
        var big = new string('x', 20_000);

        var cases = new (HttpClient Client, string Method, string Path, string? Body, int Status, string Code)[]
        {
            (shop, "POST", "/api/v1/offers", "{", 400, "invalid_json"),
            (shop, "POST", "/api/v1/offers", "{}", 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", """{"title":"x","discount_percent":"ten"}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", OfferJson(discount: 101), 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", OfferJson("\"no spaces!\""), 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", OfferJson("") , 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", $$"""{"title":"t","discount_percent":5,"pin_codes":["110011"],"valid_from":"{{past}}","valid_until":"{{past}}"}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/offers", $$"""{"title":"{{big}}"}""", 413, "payload_too_large"),
            (shop, "PUT", $"/api/v1/offers/{offerId}", """{"title":""}""", 400, "validation_failed"),
            (shop, "PUT", "/api/v1/offers/off_missing", OfferJson(), 404, "offer_not_found"),
            (shop, "DELETE", "/api/v1/offers/off_missing", null, 404, "offer_not_found"),
            (customer, "GET", "/api/v1/offers", null, 400, "validation_failed"),
            (customer, "GET", "/api/v1/offers?pin_code=%27%20OR%201=1", null, 400, "validation_failed"),
            (customer, "GET", "/api/v1/offers?pin_code=110011&continuation=bogus!!", null, 400, "invalid_continuation"),
            (customer, "POST", "/api/v1/offers/off_missing/like", null, 404, "offer_not_found"),
            (customer, "DELETE", "/api/v1/offers/off_missing/like", null, 404, "offer_not_found"),
            // Oversized ids are refused before any store read (on Cosmos DB they would exceed the partition-key limit).
            (shop, "PUT", "/api/v1/offers/off_" + new string('a', 3000), OfferJson(), 404, "offer_not_found"),
            (customer, "POST", "/api/v1/offers/off_" + new string('a', 3000) + "/like", null, 404, "offer_not_found"),
            (shop, "POST", "/api/v1/campaigns", "{\"offer_id\":\"off_" + new string('a', 3000) + "\",\"pin_codes\":[\"110011\"],\"channels\":[\"push\"]}", 404, "offer_not_found"),
            (customer, "PUT", "/api/v1/customers/me/preferences", """{"pin_codes":["110011"]}""", 400, "validation_failed"),
            (customer, "PUT", "/api/v1/customers/me/preferences", """{"pin_codes":"110011","channels":{}}""", 400, "validation_failed"),
            (customer, "PUT", "/api/v1/customers/me/preferences", """{"pin_codes":["110011"],"channels":{"push":"yes"}}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/campaigns", "{}", 400, "validation_failed"),
            (shop, "POST", "/api/v1/campaigns", $$"""{"offer_id":"{{offerId}}","pin_codes":["110011"],"channels":["sms"]}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/campaigns", $$"""{"offer_id":"{{offerId}}","pin_codes":["110011"],"channels":["push"],"scheduled_at":"{{past}}"}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/campaigns", """{"offer_id":"off_missing","pin_codes":["110011"],"channels":["push"]}""", 404, "offer_not_found"),
            (shop, "POST", "/api/v1/campaigns", $$"""{"offer_id":"{{betaOfferId}}","pin_codes":["110011"],"channels":["push"]}""", 404, "offer_not_found"),
            (shop, "POST", "/api/v1/campaigns", $$"""{"offer_id":"{{offerId}}","pin_codes":["110011"],"channels":["push"],"text":"{{big}}"}""", 413, "payload_too_large"),
            (shop, "POST", "/api/v1/campaigns", $$"""{"offer_id":"{{offerId}}","pin_codes":["110011"],"channels":["whatsapp"]}""", 400, "channel_unavailable"),
            (shop, "POST", "/api/v1/campaigns/estimate", """{"pin_codes":[],"channels":["push"]}""", 400, "validation_failed"),
            (shop, "POST", "/api/v1/campaigns/estimate", """{"pin_codes":["110011"]}""", 400, "validation_failed"),
            (shop, "GET", "/api/v1/campaigns/cmp_missing", null, 404, "campaign_not_found"),
            (shop, "POST", "/api/v1/campaigns/cmp_missing/cancel", null, 404, "campaign_not_found"),
        };

        foreach (var (client, method, path, body, expected, code) in cases)
        {
            var (status, problem, _) = await SendAsync(client, method, path, body);
            Assert.True((int)status == expected, $"{method} {path} {body?[..Math.Min(80, body.Length)]}: {(int)status} {problem}");
            Assert.Equal(code, (string?)problem["code"]);
        }

        // Unsupported media type, on a body endpoint.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = new StringContent("x", Encoding.UTF8, "text/plain") })
        {
            using var answer = await shop.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
        }

        // Nothing changed: the offer as created, no campaign queued, no wallet touched, the customer without preferences.
        var stored = (await Factory.Services.GetRequiredService<IOfferStore>().GetAsync(TenantId.Parse("alpha"), offerId, default))!;
        Assert.Equal(("Diwali sweets", 15, 0L), (stored.Title, stored.DiscountPercent, stored.LikeCount));
        Assert.DoesNotContain(Factory.Services.GetRequiredService<Shared.Infrastructure.Sqlite.SqliteDatabase>().Read(c =>
        {
            using var command = Shared.Infrastructure.Sqlite.SqliteDatabase.Command(c, null, "SELECT shopkeeper_id FROM campaigns");
            return Shared.Infrastructure.Sqlite.SqliteDatabase.ReadAll(command, r => r.GetString(0));
        }), s => s == shopkeeper.Value);
        Assert.Equal("""{"pin_codes":[],"channels":{"in_app":false,"push":false,"whatsapp":false}}""", (await SendAsync(customer, "GET", "/api/v1/customers/me/preferences")).Body.ToJsonString());
    }
}
