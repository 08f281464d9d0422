using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Users;
using Shared.Infrastructure.Usage;
using Xunit;

namespace Functions.Api.Tests.Me;

/// <summary>/users/me, its export and its erasure over HTTP, end to end through the app; run once per store.</summary>
public abstract class MeScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    protected abstract ApiFactory Factory { get; }

    protected async Task Get_me_shows_the_profile_and_put_sets_only_a_valid_display_name_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        var identified = await client.IdentifyOkAsync(new { extension_id = extension, email = "me-profile@example.com" });
        var token = (string)identified["access_token"]!;
        var userId = (string)identified["user_id"]!;

        var (status, me) = await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token);
        Assert.Equal(200, status);
        Assert.Equal(userId, (string)me["user_id"]!);
        Assert.Equal("me-profile@example.com", (string)me["email"]!);
        Assert.False((bool)me["email_verified"]!);
        Assert.Null(me["display_name"]);
        Assert.Equal("2026-11-23T09:00:00.000Z", (string)me["created_at"]!);
        Assert.Equal(["user"], me["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("free", (string)me["plan"]!);
        Assert.Equal(1, (int)me["quota"]!["used"]!);
        Assert.Empty(me["subscriptions"]!.AsArray());

        // The linked installation: an opaque id (the digest of its extension id, never the id itself) and when it was linked.
        await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email = "someone-else@example.com" });
        var installation = Assert.Single(me["installations"]!.AsArray());
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(extension)));
        Assert.Equal(("ext:" + digest, "2026-11-23T09:00:00.000Z"), ((string)installation!["installation_id"]!, (string)installation["linked_at"]!));
        Assert.DoesNotContain(extension, me.ToJsonString(), StringComparison.Ordinal);
        Assert.Single((await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Body["installations"]!.AsArray()); // another user's install is not listed

        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, "/api/v1/users/me", token, """{"display_name":"  Ada Lovelace  "}""")).Status);
        Assert.Equal("Ada Lovelace", (string)(await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Body["display_name"]!);

        // Bad input: 4xx with a code, and the name unchanged.
        var refused = new Dictionary<string, (string? Body, string? ContentType, int Status, string Code)>
        {
            ["email change"] = ("""{"display_name":"X","email":"new@example.com"}""", null, 400, "email_change_requires_verification"),
            ["empty name"] = ("""{"display_name":"   "}""", null, 400, "validation_failed"),
            ["too long"] = ($$"""{"display_name":"{{new string('a', 65)}}"}""", null, 400, "validation_failed"),
            ["line break"] = ("""{"display_name":"Ada\nAdmin"}""", null, 400, "validation_failed"),
            ["bidi override"] = ("""{"display_name":"Ada\u202Enimda"}""", null, 400, "validation_failed"),
            ["lone surrogate"] = ("""{"display_name":"Ada\uD800"}""", null, 400, "validation_failed"),
            ["not json"] = ("display_name=Eve", "application/json", 400, "invalid_json"),
            ["wrong type"] = ("""{"display_name":42}""", null, 400, "validation_failed"),
            ["not json media"] = ("""{"display_name":"Eve"}""", "text/plain", 415, "unsupported_media_type"),
        };
        foreach (var (name, (body, contentType, expected, code)) in refused)
        {
            var (got, problem) = await SendAsync(client, HttpMethod.Put, "/api/v1/users/me", token, body, contentType);
            Assert.True(expected == got, $"{name}: {got} {problem.ToJsonString()}");
            Assert.True(code == (string?)problem["code"], $"{name}: {problem.ToJsonString()}");
        }

        Assert.Equal("Ada Lovelace", (string)(await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Body["display_name"]!);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, "/api/v1/users/me", token, """{"display_name":null}""")).Status);
        Assert.Null((await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Body["display_name"]);

        // No token, or another tenant's: refused before anything is read.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/v1/users/me"), (HttpMethod.Put, "/api/v1/users/me"), (HttpMethod.Get, "/api/v1/users/me/export"), (HttpMethod.Delete, "/api/v1/users/me") })
        {
            Assert.Equal(401, (await SendAsync(client, method, path, null, method == HttpMethod.Put ? """{"display_name":"Eve"}""" : null)).Status);
            Assert.Equal(403, (await SendAsync(Factory.Tenant("beta"), method, path, token, method == HttpMethod.Put ? """{"display_name":"Eve"}""" : null)).Status);
        }

        Assert.NotNull(await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, UserId.Parse(userId), default));
    }

    protected async Task Export_then_erase_leaves_no_personal_field_in_any_table_or_container_core()
    {
        var seeded = await SeedEverythingAsync();
        var client = Factory.Tenant("alpha");

        using (var response = await Send(client, HttpMethod.Get, "/api/v1/users/me/export", seeded.Token))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var export = JsonNode.Parse(text)!;
            Assert.Equal(["accounts", "audit", "billing", "campaigns", "data_sharing", "data_sharing_contributions", "feature_requests", "invoices", "jobs", "marketplace", "notifications", "outbox", "quotas", "referrals", "role_applications", "roles", "usage", "users", "wallets"], export["sections"]!.AsArray().Select(s => (string)s!["name"]!).Order(StringComparer.Ordinal));
            // The audit section may be empty (the export's own entry is written after the export is read); so are roles and
            // marketplace, wallets, invoices, accounts, outbox, notifications and release contributions (none seeded here: the store-level personal-data scenarios cover them).
            Assert.All(export["sections"]!.AsArray().Where(s => (string)s!["name"]! is not "audit" and not "roles" and not "marketplace" and not "wallets" and not "invoices" and not "accounts" and not "outbox" and not "notifications" and not "data_sharing_contributions"), s => Assert.NotEmpty(s!["records"]!.AsArray()));
            // Cosmos keeps extension ids only hashed (lookup keys); everything else is stored as it is.
            foreach (var needle in Factory.Store == StoreKind.Sqlite ? seeded.Needles : seeded.Needles.Except(seeded.Extensions))
            {
                Assert.Contains(needle, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // An upgrade link issued before the erasure is accepted before it (the seeded user already subscribes: 409, past
        // authentication) and refused after it (403 invalid_link_token, below).
        var link = Uri.EscapeDataString(await Factory.Services.GetRequiredService<Shared.Domain.Identity.IUpgradeLinkIssuer>().IssueAsync(Alpha, seeded.User, default));
        using var browser = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var beforeErasure = await browser.GetAsync($"/api/v1/checkout/pro?token={link}&tenant=alpha"))
        {
            Assert.Equal(HttpStatusCode.Conflict, beforeErasure.StatusCode);
        }

        // The scan finds every needle that is stored before the erasure, so finding none after it means something.
        var before = await StoreScan.FindAsync(Factory, seeded.Needles);
        foreach (var needle in Factory.Store == StoreKind.Sqlite ? seeded.Needles : seeded.Needles.Except(seeded.Extensions))
        {
            Assert.Contains(before, f => f.EndsWith($"'{needle}'", StringComparison.Ordinal));
        }

        // The customer is in a campaign's snapshot and was sent a message: in its recipient and delivery rows, or (Cosmos)
        // inside the campaign's batch document, next to another customer's entries.
        string[] campaignPlaces = Factory.Store == StoreKind.Sqlite
            ? ["sqlite table campaign_recipients", "sqlite table campaign_deliveries", "sqlite table offer_likes", "sqlite table customer_preferences"]
            : ["cosmos container campaigns", "cosmos container offers"];
        Assert.All(campaignPlaces, place => Assert.Contains($"{place} contains '{seeded.User.Value}'", before));
        Assert.Contains($"{campaignPlaces[0]} contains '{seeded.Customer.Value}'", await StoreScan.FindAsync(Factory, [seeded.Customer.Value]));

        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", seeded.Token)).Status);
        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);

        var found = await StoreScan.FindAsync(Factory, seeded.Needles);
        Assert.True(found.Count == 0, string.Join("\n", found));

        // The campaign keeps what the shopkeeper was charged for under the pseudonym; the other customer is untouched.
        var campaigns = Factory.Services.GetRequiredService<Shared.Domain.Campaigns.ICampaignStore>();
        var batch = (await campaigns.GetBatchAsync(Alpha, seeded.CampaignId, 0, default))!;
        Assert.Equal(new[] { seeded.Customer.Value, ErasedUserKey.PseudonymOf(Alpha, seeded.User).Value }.Order(StringComparer.Ordinal), batch.Recipients.Select(r => r.UserId.Value).Order(StringComparer.Ordinal));
        Assert.Equal(new Shared.Domain.Campaigns.CampaignDelivery(ErasedUserKey.PseudonymOf(Alpha, seeded.User), Shared.Domain.Notifications.NotificationChannel.InApp, Shared.Domain.Campaigns.DeliveryStatus.Delivered), Assert.Single(batch.Deliveries, d => d.UserId != seeded.Customer));
        Assert.Single(batch.Deliveries, d => d.UserId == seeded.Customer);
        Assert.True(await StoreScan.CountAsync(Factory) > 0);

        // Kept for the law or for other users, de-identified: the payment, the referral of the user they referred,
        // and the perk their referrer got (still counted once).
        var pseudonym = ErasedUserKey.PseudonymOf(Alpha, seeded.User);
        Assert.Single(await Factory.Services.GetRequiredService<IBillingStore>().ListPaymentsAsync(Alpha, pseudonym, default));
        Assert.Equal(pseudonym, (await Factory.Services.GetRequiredService<IReferralStore>().GetAsync(Alpha, seeded.ReferredByUser, default))!.ReferrerId);
        var referrerQuota = await Factory.Services.GetRequiredService<IQuotaStore>().GetAsync(Alpha, seeded.Referrer, default);
        Assert.Equal(3, referrerQuota!.BonusUses);
        Assert.False(await Factory.Services.GetRequiredService<IQuotaStore>().GrantBonusAsync(Alpha, seeded.Referrer, new Referral(Alpha, seeded.Referrer, seeded.User, ReferralStatus.Confirmed, default).GrantKey, 3, default));

        // Audited: the export under the user (pseudonymised by the audit store on erasure), the erasure under the pseudonym only.
        var audit = (await Factory.Services.GetRequiredService<Shared.Domain.Audit.IAuditLog>().ListAsync(Alpha, null, 500, default)).Items;
        var erasure = Assert.Single(audit, a => a.Action == Shared.Domain.Audit.AuditActions.Erasure && a.ActorId == ErasedUserKey.Of(Alpha, seeded.User));
        Assert.Equal(ErasedUserKey.Of(Alpha, seeded.User), erasure.TargetId);
        Assert.Equal("true", erasure.Details!["payment_customer_deleted"]);
        Assert.Single(audit, a => a.Action == Shared.Domain.Audit.AuditActions.DataExport && a.At == erasure.At);
        Assert.DoesNotContain(audit, a => a.Action == Shared.Domain.Audit.AuditActions.Erasure && (a.ActorId == seeded.User.Value || a.TargetId == seeded.User.Value));

        // The token and the upgrade link still within their lifetimes are refused; a repeat erases nothing and audits nothing.
        Assert.Equal(401, (await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", seeded.Token)).Status);
        using (var afterErasure = await browser.GetAsync($"/api/v1/checkout/pro?token={link}&tenant=alpha"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, afterErasure.StatusCode); // how a refused link answers (the page's convention)
            Assert.Equal("invalid_link_token", (string)(await ApiCalls.ReadObjectAsync(afterErasure))["code"]!);
        }

        Assert.Equal(401, (await SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", seeded.Token)).Status);
        var again = await Factory.Services.GetRequiredService<EraseUser>().HandleAsync(new PrivacyRequest(Alpha, seeded.User, null, null), new ReauthenticationProof(Alpha, seeded.User, Factory.Clock.GetUtcNow(), null), default);
        Assert.Equal(new ErasureOutcome(false, 0, false), again.Value);
        Assert.Equal(audit.Count, (await Factory.Services.GetRequiredService<Shared.Domain.Audit.IAuditLog>().ListAsync(Alpha, null, 500, default)).Items.Count);

        // The erased user's extension starts a new account: never the erased id.
        var fresh = await client.IdentifyOkAsync(new { extension_id = seeded.Extensions[0] });
        Assert.NotEqual(seeded.User.Value, (string)fresh["user_id"]!);
        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var afterReuse = await StoreScan.FindAsync(Factory, [seeded.User.Value, seeded.ContactEmail, seeded.VerifiedEmail, seeded.RequestText]);
        Assert.True(afterReuse.Count == 0, string.Join("\n", afterReuse));
    }

    protected async Task Identify_racing_an_erasure_writes_nothing_under_the_erased_id_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        var identified = await client.IdentifyOkAsync(new { extension_id = extension, email = $"race-{Guid.NewGuid():N}@example.com" });
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = (string)identified["access_token"]!;

        // Deterministic half: the tombstone is there (the erasure has begun) while this instance still has the link
        // cached and the data is not erased yet: identify must refuse and remove what exists.
        Assert.True(await Factory.Services.GetRequiredService<IErasureRegistry>().TryRecordAsync(Alpha, user, Factory.Clock.GetUtcNow(), default));
        using (var refused = await client.IdentifyAsync(new { extension_id = extension }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("user_erased", (string?)(await ApiCalls.ReadObjectAsync(refused))["code"]);
        }

        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var left = await StoreScan.FindAsync(Factory, [user.Value, extension]);
        Assert.True(left.Count == 0, string.Join("\n", left));
        Assert.Equal(401, (await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Status);

        // Concurrent half: identify calls from the user's extension while the erasure runs.
        var second = ApiCalls.NewExtensionId();
        var racer = await client.IdentifyOkAsync(new { extension_id = second, email = $"race-{Guid.NewGuid():N}@example.com" });
        var racerId = (string)racer["user_id"]!;
        var racerToken = (string)racer["access_token"]!;
        var identifies = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await client.IdentifyAsync(new { extension_id = second });
            var body = await ApiCalls.ReadObjectAsync(response);
            return ((int)response.StatusCode, (string?)body["user_id"] ?? (string?)body["code"]);
        }).ToList();
        var erase = SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", racerToken);
        await Task.WhenAll(identifies);
        Assert.Equal(204, (await erase).Status);
        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);

        // Each call either ran before the erasure (200, its writes erased by it), was refused (403 user_erased), or came
        // after it and started a new account (a new id): none left anything under the erased id.
        Assert.All(identifies.Select(t => t.Result), r => Assert.True(r.Item1 == 200 || (r.Item1 == 403 && r.Item2 == "user_erased"), $"{r.Item1} {r.Item2}"));
        var raced = await StoreScan.FindAsync(Factory, [racerId]);
        Assert.True(raced.Count == 0, string.Join("\n", raced));
    }

    protected async Task Erasure_needs_a_fresh_token_and_a_refused_erasure_changes_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var identified = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var token = (string)identified["access_token"]!;
        var user = UserId.Parse((string)identified["user_id"]!);

        Factory.Clock.Advance(FreshTokenReauthentication.MaxTokenAge + TimeSpan.FromSeconds(1));
        try
        {
            var (status, problem) = await SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", token);
            Assert.Equal((401, "reauthentication_required"), (status, (string?)problem["code"]));
            Assert.Equal(400, (await SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", token, "{not json")).Status);
            Assert.Equal(415, (await SendAsync(client, HttpMethod.Delete, "/api/v1/users/me", token, "password", "text/plain")).Status);
            Assert.False(await Factory.Services.GetRequiredService<IErasureRegistry>().IsErasedAsync(Alpha, user, default));
            Assert.NotNull(await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, user, default));
            Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/api/v1/users/me", token)).Status);
        }
        finally
        {
            Factory.Clock.Advance(-(FreshTokenReauthentication.MaxTokenAge + TimeSpan.FromSeconds(1)));
        }
    }

    private sealed record Seeded(UserId User, string Token, string ContactEmail, string VerifiedEmail, string Phone, string RequestText, string RoleNote, IReadOnlyList<string> Extensions, UserId Referrer, UserId ReferredByUser, UserId Customer, string CampaignId)
    {
        public IReadOnlyList<string> Needles => [User.Value, ContactEmail, VerifiedEmail, Phone, RequestText, RoleNote, .. Extensions];
    }

    /// <summary>A user with data in every feature: two installations, a contact and a verified email, quota and usage,
    /// a verified phone (and a code sent to it since), a role application with a note, a feature request with text, a data-sharing choice, referred by
    /// one user and referrer of another, a billing customer, subscription and payment.</summary>
    private async Task<Seeded> SeedEverythingAsync()
    {
        var services = Factory.Services;
        var client = Factory.Tenant("alpha");
        var tag = Guid.NewGuid().ToString("N");
        var contact = $"contact-{tag}@example.com";
        var verified = EmailAddress.TryParse($"verified-{tag}@example.com", out var v) ? v.Value : throw new InvalidOperationException();
        var first = ApiCalls.NewExtensionId();
        var identified = await client.IdentifyOkAsync(new { extension_id = first, email = contact });
        var user = UserId.Parse((string)identified["user_id"]!);
        var token = (string)identified["access_token"]!;
        var now = Factory.Clock.GetUtcNow();

        var users = services.GetRequiredService<IUserDirectory>();
        Assert.Equal(EmailClaim.Claimed, await users.ClaimVerifiedEmailAsync(Alpha, user, verified, now, default));
        var second = ApiCalls.NewExtensionId();
        Assert.Equal(user, (await users.RegisterVerifiedInstallationAsync(Alpha, ExtensionId.TryParse(second, out var e) ? e.Value : throw new InvalidOperationException(), verified, UserId.New(), now, default)).UserId);
        await client.IdentifyOkAsync(new { extension_id = second });

        // A verified phone, as OTP verification leaves it (claimed for the user), then a code sent to it over HTTP: the
        // code record and the sent message name the phone too.
        var phone = $"+4420{Random.Shared.Next(10_000_000, 99_999_999)}";
        Assert.True(Shared.Domain.Accounts.PhoneNumber.TryParse(phone, out var parsedPhone));
        Assert.Equal(user, await services.GetRequiredService<Shared.Domain.Accounts.IAccountStore>().ClaimPhoneAsync(Alpha, parsedPhone.Value, user, now, default));
        Assert.Equal(202, (await SendAsync(client, HttpMethod.Post, "/api/v1/auth/otp/send", null, JsonBodyOf(new { phone }))).Status);

        var roleNote = $"My shop {tag} sells tea";
        Assert.Equal(201, (await SendAsync(client, HttpMethod.Post, "/api/v1/roles/applications", token, JsonBodyOf(new { role = "shopkeeper", note = roleNote }))).Status);

        var text = $"Please add a secret feature {tag}";
        Assert.Equal(202, (await SendAsync(client, HttpMethod.Post, "/api/v1/features/requests", token, JsonBodyOf(new { request_text = text }))).Status);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Post, "/api/v1/data-sharing/opt-in", token, """{"opt_in":true,"profit_split":50}""")).Status);

        var referrer = UserId.Parse((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        var referred = UserId.Parse((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        var referrals = services.GetRequiredService<IReferralStore>();
        var ofUser = new Referral(Alpha, referrer, user, ReferralStatus.Confirmed, now, now);
        Assert.True(await referrals.TryCreateAsync(ofUser, default));
        Assert.True(await services.GetRequiredService<IQuotaStore>().GrantBonusAsync(Alpha, referrer, ofUser.GrantKey, 3, default));
        Assert.True(await referrals.TryCreateAsync(new Referral(Alpha, user, referred, ReferralStatus.Pending, now), default));

        var billing = services.GetRequiredService<IBillingStore>();
        var customer = await billing.LinkCustomerAsync(Alpha, user, $"cus_sandbox_{tag}", default);
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(Subscription.StartedByCheckout(Alpha, user, $"sub_sandbox_{tag}", customer, PlanId.Parse("pro"), BillingCycle.Monthly, now), default));
        Assert.True(await billing.RecordPaymentAsync(new PaymentRecord(Alpha, user, $"pi_sandbox_{tag}", $"sub_sandbox_{tag}", new Money(900, "USD"), "succeeded", now), default));
        await services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var (shopper, campaignId) = await SeedCampaignAsync(user, now);
        return new Seeded(user, token, contact, verified.Value, parsedPhone.Value.Value, text, roleNote, [first, second], referrer, referred, shopper, campaignId);
    }

    /// <summary>
    /// The user as a customer: campaign preferences, a like of a shopkeeper's offer, and a recipient (with another
    /// customer) of a campaign's snapshot, each sent an in-app message that was delivered. Returns the other customer and
    /// the campaign.
    /// </summary>
    private async Task<(UserId Customer, string CampaignId)> SeedCampaignAsync(UserId user, DateTimeOffset now)
    {
        var services = Factory.Services;
        var customer = UserId.New();
        var shopkeeper = UserId.New();
        var inApp = Shared.Domain.Notifications.NotificationChannel.InApp;
        var preferences = services.GetRequiredService<Shared.Domain.Campaigns.ICustomerPreferenceStore>();
        foreach (var who in new[] { user, customer })
        {
            await preferences.PutAsync(new Shared.Domain.Campaigns.CustomerPreferences(Alpha, who, ["560001"], new Shared.Domain.Campaigns.ChannelConsent(true, false, false), now), default);
        }

        var offers = services.GetRequiredService<Shared.Domain.Campaigns.IOfferStore>();
        var offer = new Shared.Domain.Campaigns.Offer(Shared.Domain.Campaigns.Offer.NewId(), Alpha, shopkeeper, "Tea sale", null, 10, ["560001"], now.AddHours(-1), now.AddDays(1), 0, now, now);
        await offers.CreateAsync(offer, default);
        Assert.Equal(1, await offers.LikeAsync(Alpha, offer.Id, user, default));
        var campaigns = services.GetRequiredService<Shared.Domain.Campaigns.ICampaignStore>();
        var campaign = new Shared.Domain.Campaigns.Campaign(Shared.Domain.Campaigns.Campaign.NewId(), Alpha, shopkeeper, offer.Id, ["560001"], [inApp], "10% off tea", null, Shared.Domain.Campaigns.CampaignStatus.Queued, null, now, now);
        Assert.Equal(Shared.Domain.Campaigns.CampaignCreation.Created, await campaigns.TryCreateAsync(campaign, 5, default));
        var stored = (await campaigns.GetAsync(Alpha, campaign.Id, default))!;
        Assert.NotNull(await campaigns.SaveSnapshotAsync(stored with { BatchCount = 1, Audience = 2, Messages = 2 }, [[new(user, [inApp]), new(customer, [inApp])]], default));
        await campaigns.RecordDeliveriesAsync(Alpha, campaign.Id, 0, [new(user, inApp, Shared.Domain.Campaigns.DeliveryStatus.Delivered), new(customer, inApp, Shared.Domain.Campaigns.DeliveryStatus.Delivered)], default);
        return (customer, campaign.Id);
    }

    private static string JsonBodyOf(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? token, string? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? token, string? body = null, string? contentType = null)
    {
        using var response = await Send(client, method, path, token, body, contentType);
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }
}
