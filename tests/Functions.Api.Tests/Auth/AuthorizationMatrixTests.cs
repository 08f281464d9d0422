using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>The app in the Development environment, so that the development-only endpoints are in the matrix too.</summary>
public sealed class DevelopmentApi : IDisposable
{
    public ApiFactory Factory { get; } = new(StoreKind.Sqlite, new Dictionary<string, string?> { ["DevIdentityProvider:Issuer"] = "http://localhost/api/dev/oidc" }, environment: "Development");

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// Every endpoint the API app maps (read from its endpoint data source, so a new endpoint without a row here fails),
/// called by every kind of caller: anonymous, a user of this tenant, a user of another tenant, an expired token, a
/// forged token, and a token of each role. The status must be the row's, and no answer may carry another tenant's
/// data or another user's private data.
/// </summary>
public sealed class AuthorizationMatrixTests(DevelopmentApi api, ITestOutputHelper output) : IClassFixture<DevelopmentApi>
{
    public enum Who
    {
        Anonymous,
        User,
        OtherTenantUser,
        Expired,
        Forged,
        Creator,
        Shopkeeper,
        Admin,
    }

    private ApiFactory Factory => api.Factory;

    private sealed record Credentials(string? Bearer, string? Link);

    private sealed record Row(string Method, string Pattern, Func<string> Path, string? Body, bool LinkInQuery, Dictionary<Who, int> Expected);

    private static Dictionary<Who, int> All(int status) => Enum.GetValues<Who>().ToDictionary(w => w, _ => status);

    /// <summary>A user-scoped endpoint: 401 without a valid token, 403 for another tenant's, the given answers otherwise.</summary>
    private static Dictionary<Who, int> Protected(int user, int creator, int shopkeeper, int admin) => new()
    {
        [Who.Anonymous] = 401,
        [Who.User] = user,
        [Who.OtherTenantUser] = 403,
        [Who.Expired] = 401,
        [Who.Forged] = 401,
        [Who.Creator] = creator,
        [Who.Shopkeeper] = shopkeeper,
        [Who.Admin] = admin,
    };

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_its_policy_says_and_leaks_nothing()
    {
        using var anonymous = Factory.Tenant("alpha");
        var tokens = Factory.Services.GetRequiredService<JwtAccessTokens>();
        var links = Factory.Services.GetRequiredService<UpgradeLinkTokens>();
        var keys = Factory.Services.GetRequiredService<SigningKeyRing>();
        var alpha = TenantId.Parse("alpha");

        // The data: a user of alpha with a feature request, a user of beta with one, and a second alpha user whose
        // tokens carry each role.
        var u = await anonymous.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var uId = UserId.Parse((string)u["user_id"]!);
        var uRequest = await SubmitAsync(anonymous, (string)u["access_token"]!, "alpha secret request text");
        using var betaClient = Factory.Tenant("beta");
        var v = await betaClient.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var vRequest = await SubmitAsync(betaClient, (string)v["access_token"]!, "beta secret request text");
        var w = UserId.Parse((string)(await anonymous.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);

        var past = new TestSupport.ManualTimeProvider(Factory.Clock.GetUtcNow().AddHours(-1));
        using var expiredIssuer = new JwtAccessTokens(keys, new TokenOptions(), past);
        using var expiredLinks = new UpgradeLinkTokens(keys, new TokenOptions(), past);
        var forgedKeys = new SigningKeyRing(new Shared.Infrastructure.Secrets.ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Secrets:jwt_signing_key", (string?)"a-forgers-own-key-0123456789abcdef0123456789")]).Build()));
        using var forgedIssuer = new JwtAccessTokens(forgedKeys, new TokenOptions(), Factory.Clock);
        using var forgedLinks = new UpgradeLinkTokens(forgedKeys, new TokenOptions(), Factory.Clock);
        var wLink = await links.IssueAsync(alpha, w, default);
        // The admin caller is an admin in the store too (the admin policy checks it on every request).
        await Factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(alpha, w, Role.Admin, Factory.Clock.GetUtcNow(), default);
        var callers = new Dictionary<Who, Credentials>
        {
            [Who.Anonymous] = new(null, null),
            [Who.User] = new((string)u["access_token"]!, await links.IssueAsync(alpha, uId, default)),
            [Who.OtherTenantUser] = new((string)v["access_token"]!, await links.IssueAsync(TenantId.Parse("beta"), UserId.Parse((string)v["user_id"]!), default)),
            [Who.Expired] = new((await expiredIssuer.IssueAsync(alpha, uId, Role.User, default)).Value, await expiredLinks.IssueAsync(alpha, uId, default)),
            [Who.Forged] = new((await forgedIssuer.IssueAsync(alpha, uId, Role.Admin, default)).Value, await forgedLinks.IssueAsync(alpha, uId, default)),
            [Who.Creator] = new((await tokens.IssueAsync(alpha, w, Role.Creator, default)).Value, wLink),
            [Who.Shopkeeper] = new((await tokens.IssueAsync(alpha, w, Role.Shopkeeper, default)).Value, wLink),
            [Who.Admin] = new((await tokens.IssueAsync(alpha, w, Role.Admin, default)).Value, wLink),
        };

        // A published marketplace item of another alpha creator (W, in every role, installs and rates it).
        var item = await Marketplace.MarketplaceCalls.PublishAsync(anonymous, (await tokens.IssueAsync(alpha, UserId.Parse((string)(await anonymous.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!), Role.Creator, default)).Value, callers[Who.Admin].Bearer);

        // A campaign message in U's inbox: U may mark it read; W (every role) gets 404, and no one but U sees its text.
        var uNotice = new Shared.Domain.Notifications.CampaignNotification(alpha, uId, Shared.Domain.Notifications.NotificationChannel.InApp, "matrix-campaign:u:in_app", "matrix-campaign", "matrix-offer", "alpha secret notification text");
        await Factory.Services.GetRequiredService<Shared.Domain.Notifications.INotificationInbox>().TryAddAsync(uNotice, Factory.Clock.GetUtcNow(), default);

        // Rows in the order they run (the portal is asked before checkout gives anyone a billing account).
        var rows = new List<Row>
        {
            new("GET", "/api/health", () => "/api/health", null, false, All(200)),
            new("GET", "/api/health/live", () => "/api/health/live", null, false, All(200)),
            new("GET", "/api/openapi/{documentName}.json", () => "/api/openapi/v1.json", null, false, All(200)),
            new("POST", "/api/v1/users/identify", () => "/api/v1/users/identify", $$"""{"extension_id":"{{ApiCalls.NewExtensionId()}}"}""", false, All(200)),
            new("GET", "/api/v1/users/{user_id}/quota", () => $"/api/v1/users/{uId.Value}/quota", null, false, Protected(user: 200, creator: 404, shopkeeper: 404, admin: 200)),
            new("GET", "/api/v1/plans", () => "/api/v1/plans", null, false, All(200)),
            new("POST", "/api/v1/webhooks/stripe/{tenant_id}", () => "/api/v1/webhooks/stripe/alpha", """{"id":"evt_1","type":"invoice.paid"}""", false, All(400)),
            new("POST", "/api/v1/subscriptions/portal", () => "/api/v1/subscriptions/portal", null, false, Protected(user: 404, creator: 404, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/subscriptions/cancel", () => "/api/v1/subscriptions/cancel", null, false, Protected(user: 404, creator: 404, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/subscriptions/checkout", () => "/api/v1/subscriptions/checkout", """{"plan_id":"pro","billing_cycle":"monthly"}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/checkout/{plan_id}", () => "/api/v1/checkout/pro?cycle=yearly&tenant=alpha", null, true, new()
            {
                [Who.Anonymous] = 400, [Who.User] = 303, [Who.OtherTenantUser] = 403, [Who.Expired] = 403, [Who.Forged] = 403,
                [Who.Creator] = 303, [Who.Shopkeeper] = 303, [Who.Admin] = 303,
            }),
            new("GET", "/api/v1/tenants/{tenant_id}/pricing", () => "/api/v1/tenants/alpha/pricing", null, true, All(200)),
            new("POST", "/api/v1/features/requests", () => "/api/v1/features/requests", """{"request_text":"matrix"}""", false, Protected(user: 202, creator: 202, shopkeeper: 202, admin: 202)),
            new("GET", "/api/v1/features/requests/{request_id}", () => $"/api/v1/features/requests/{uRequest}", null, false, Protected(user: 200, creator: 404, shopkeeper: 404, admin: 404)),
            new("GET", "/api/v1/features/requests", () => "/api/v1/features/requests", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/data-sharing/opt-in", () => "/api/v1/data-sharing/opt-in", """{"opt_in":true,"profit_split":50}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/marketplace/categories", () => "/api/v1/marketplace/categories", null, false, All(200)),
            new("POST", "/api/v1/marketplace/items", () => "/api/v1/marketplace/items", Marketplace.MarketplaceCalls.ItemJson, false, Protected(user: 403, creator: 201, shopkeeper: 403, admin: 201)),
            new("GET", "/api/v1/marketplace/items", () => "/api/v1/marketplace/items?query=grammar", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/marketplace/items/{item_id}", () => $"/api/v1/marketplace/items/{item}", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("PUT", "/api/v1/marketplace/items/{item_id}", () => $"/api/v1/marketplace/items/{item}", Marketplace.MarketplaceCalls.ItemJson, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 403)),
            new("DELETE", "/api/v1/marketplace/items/{item_id}", () => $"/api/v1/marketplace/items/{item}", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 403)),
            new("POST", "/api/v1/marketplace/items/{item_id}/install", () => $"/api/v1/marketplace/items/{item}/install", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/marketplace/items/{item_id}/ratings", () => $"/api/v1/marketplace/items/{item}/ratings", """{"stars":4,"review":"ok"}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/marketplace/items/{item_id}/ratings", () => $"/api/v1/marketplace/items/{item}/ratings", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("DELETE", "/api/v1/marketplace/items/{item_id}/install", () => $"/api/v1/marketplace/items/{item}/install", null, false, Protected(user: 204, creator: 204, shopkeeper: 204, admin: 204)),
            new("POST", "/api/v1/admin/marketplace/items/{item_id}/verify", () => $"/api/v1/admin/marketplace/items/{item}/verify", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/admin/marketplace/items/{item_id}/hide", () => $"/api/v1/admin/marketplace/items/{item}/hide", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/admin/marketplace/items/{item_id}/unhide", () => $"/api/v1/admin/marketplace/items/{item}/unhide", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/marketplace/items/{item_id}/purchase", () => $"/api/v1/marketplace/items/{item}/purchase", null, false, Protected(user: 400, creator: 400, shopkeeper: 400, admin: 400)), // the item is free: item_is_free once authorized
            new("GET", "/api/v1/creators/me/earnings", () => "/api/v1/creators/me/earnings", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/creators/me/items", () => "/api/v1/creators/me/items", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/admin/marketplace/items", () => "/api/v1/admin/marketplace/items", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("GET", "/api/v1/wallets/me", () => "/api/v1/wallets/me", null, false, Protected(user: 403, creator: 403, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/wallets/me/entries", () => "/api/v1/wallets/me/entries", null, false, Protected(user: 403, creator: 403, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/wallets/me/top-ups", () => "/api/v1/wallets/me/top-ups", """{"amount_cents":500}""", false, Protected(user: 403, creator: 403, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/credits/me", () => "/api/v1/credits/me", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            // Campaigns: W's offer (as shopkeeper) is created by its row; other callers answer 404 for an offer or campaign that is not theirs.
            new("POST", "/api/v1/offers", () => "/api/v1/offers", $$"""{"title":"Matrix","discount_percent":10,"pin_codes":["560001"],"valid_from":"{{Factory.Clock.GetUtcNow():O}}","valid_until":"{{Factory.Clock.GetUtcNow().AddDays(2):O}}"}""", false, Protected(user: 403, creator: 403, shopkeeper: 201, admin: 201)),
            new("GET", "/api/v1/offers", () => "/api/v1/offers?pin_code=560001", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("PUT", "/api/v1/offers/{offer_id}", () => "/api/v1/offers/off_matrix_unknown", $$"""{"title":"Matrix","discount_percent":10,"pin_codes":["560001"],"valid_from":"{{Factory.Clock.GetUtcNow():O}}","valid_until":"{{Factory.Clock.GetUtcNow().AddDays(2):O}}"}""", false, Protected(user: 403, creator: 403, shopkeeper: 404, admin: 404)),
            new("DELETE", "/api/v1/offers/{offer_id}", () => "/api/v1/offers/off_matrix_unknown", null, false, Protected(user: 403, creator: 403, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/offers/{offer_id}/like", () => "/api/v1/offers/off_matrix_unknown/like", null, false, Protected(user: 404, creator: 404, shopkeeper: 404, admin: 404)),
            new("DELETE", "/api/v1/offers/{offer_id}/like", () => "/api/v1/offers/off_matrix_unknown/like", null, false, Protected(user: 404, creator: 404, shopkeeper: 404, admin: 404)),
            new("PUT", "/api/v1/customers/me/preferences", () => "/api/v1/customers/me/preferences", """{"pin_codes":["560001"],"channels":{"in_app":true}}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/customers/me/preferences", () => "/api/v1/customers/me/preferences", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/campaigns", () => "/api/v1/campaigns", """{"offer_id":"off_matrix_unknown","pin_codes":["560001"],"channels":["in_app"]}""", false, Protected(user: 403, creator: 403, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/campaigns/estimate", () => "/api/v1/campaigns/estimate", """{"pin_codes":["560001"],"channels":["in_app"]}""", false, Protected(user: 403, creator: 403, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/campaigns/{campaign_id}", () => "/api/v1/campaigns/cmp_matrix_unknown", null, false, Protected(user: 403, creator: 403, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/campaigns/{campaign_id}/cancel", () => "/api/v1/campaigns/cmp_matrix_unknown/cancel", null, false, Protected(user: 403, creator: 403, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/credits/me/top-ups", () => "/api/v1/credits/me/top-ups", """{"credits":100}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/ai/generate", () => "/api/v1/ai/generate", """{"prompt":"matrix prompt"}""", false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/invoices", () => "/api/v1/invoices", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/invoices/{number}", () => "/api/v1/invoices/INV-2026-000001", null, false, Protected(user: 404, creator: 404, shopkeeper: 404, admin: 404)),
            new("POST", "/api/v1/campaigns/text", () => "/api/v1/campaigns/text", """{"product":"Rice","discount":10,"tone":"friendly","language":"en-IN","channel":"whatsapp"}""", false, Protected(user: 403, creator: 403, shopkeeper: 200, admin: 200)),
            // Accounts: bodies that answer the same on every call (a valid sign-up or code send would be throttled by the repeats).
            new("POST", "/api/v1/auth/signup", () => "/api/v1/auth/signup", """{"email":"matrix@example.com","password":"short"}""", false, All(400)),
            new("POST", "/api/v1/auth/verify-email", () => "/api/v1/auth/verify-email", """{"email":"matrix@example.com","code":"123456"}""", false, All(400)),
            new("POST", "/api/v1/auth/login", () => "/api/v1/auth/login", """{"email":"matrix@example.com"}""", false, All(400)),
            new("POST", "/api/v1/auth/refresh", () => "/api/v1/auth/refresh", """{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", false, All(401)),
            new("POST", "/api/v1/auth/logout", () => "/api/v1/auth/logout", """{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", false, Protected(user: 204, creator: 204, shopkeeper: 204, admin: 204)),
            new("POST", "/api/v1/auth/change-email", () => "/api/v1/auth/change-email", """{"email":"matrix-new@example.com"}""", false, Protected(user: 409, creator: 409, shopkeeper: 409, admin: 409)), // no password account
            new("POST", "/api/v1/auth/otp/send", () => "/api/v1/auth/otp/send", """{"phone":"12345"}""", false, All(400)),
            new("POST", "/api/v1/auth/otp/verify", () => "/api/v1/auth/otp/verify", """{"phone":"+14155550199","code":"123456"}""", false, All(400)),
            new("GET", "/api/dev/outbox", () => "/api/dev/outbox?to=matrix@example.com", null, false, All(200)),
            new("POST", "/api/v1/data-sharing/events", () => "/api/v1/data-sharing/events", $$"""{"events":[{"site":"docs.example.co.uk","kind":"visit","at":"{{Factory.Clock.GetUtcNow().AddHours(-1):O}}"}]}""", false, Protected(user: 202, creator: 202, shopkeeper: 202, admin: 202)),
            new("GET", "/api/v1/data-sharing/me", () => "/api/v1/data-sharing/me", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/admin/data-sharing/releases", () => "/api/v1/admin/data-sharing/releases", $$"""{"day":"{{Factory.Clock.GetUtcNow().AddDays(-1):yyyy-MM-dd}}"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 202)),
            new("GET", "/api/v1/admin/data-sharing/releases", () => "/api/v1/admin/data-sharing/releases", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/admin/data-sharing/sales", () => "/api/v1/admin/data-sharing/sales", """{"day":"2020-01-01","amount_cents":100,"currency":"USD","reference":"matrix-sale"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 404)), // no release that day
            new("GET", "/api/v1/admin/data-sharing/releases/{day}/{file}", () => $"/api/v1/admin/data-sharing/releases/{Factory.Clock.GetUtcNow().AddDays(-1):yyyy-MM-dd}/manifest.json", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("GET", "/api/sandbox/checkout/{session_id}", () => "/api/sandbox/checkout/cs_sandbox_unknown", null, false, All(404)),
            new("POST", "/api/sandbox/checkout/{session_id}/pay", () => "/api/sandbox/checkout/cs_sandbox_unknown/pay", null, false, All(404)),
            new("POST", "/api/sandbox/checkout/{session_id}/cancel", () => "/api/sandbox/checkout/cs_sandbox_unknown/cancel", null, false, All(404)),
            new("GET", "/api/sandbox/portal/{portal_id}", () => "/api/sandbox/portal/bps_sandbox_unknown", null, false, All(404)),
            new("POST", "/api/sandbox/portal/{portal_id}/cancel", () => "/api/sandbox/portal/bps_sandbox_unknown/cancel", null, false, All(415)), // the form is checked first
            new("POST", "/api/v1/admin/users/{user_id}/roles", () => $"/api/v1/admin/users/{uId.Value}/roles", """{"role":"creator"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("DELETE", "/api/v1/admin/users/{user_id}/roles/{role}", () => $"/api/v1/admin/users/{uId.Value}/roles/creator", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("GET", "/api/v1/admin/users", () => "/api/v1/admin/users?query=", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("GET", "/api/v1/admin/users/{user_id}", () => $"/api/v1/admin/users/{uId.Value}", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/admin/refunds", () => "/api/v1/admin/refunds", """{"payment_id":"pi_matrix_unknown","reason":"matrix"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 404)),
            new("GET", "/api/v1/admin/audit", () => "/api/v1/admin/audit", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/roles/applications", () => "/api/v1/roles/applications", """{"role":"shopkeeper"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 403)), // the policy admits them, but no caller here has a verified email: 403 email_not_verified (AdminEndpointTests covers 201/409)
            new("GET", "/api/v1/admin/role-applications", () => "/api/v1/admin/role-applications", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("POST", "/api/v1/admin/role-applications/{application_id}/approve", () => $"/api/v1/admin/role-applications/{uId.Value}.creator.{new string('0', 32)}/approve", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 404)),
            new("POST", "/api/v1/admin/role-applications/{application_id}/reject", () => $"/api/v1/admin/role-applications/{uId.Value}.creator.{new string('0', 32)}/reject", """{"reason":"matrix"}""", false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 404)),
            new("GET", "/api/v1/admin/metrics", () => "/api/v1/admin/metrics?from=2026-11-01&to=2026-11-23", null, false, Protected(user: 403, creator: 403, shopkeeper: 403, admin: 200)),
            new("GET", "/api/dev/oidc/.well-known/openid-configuration", () => "/api/dev/oidc/.well-known/openid-configuration", null, false, All(200)),
            new("GET", "/api/dev/oidc/jwks", () => "/api/dev/oidc/jwks", null, false, All(200)),
            new("POST", "/api/dev/oidc/token", () => "/api/dev/oidc/token", """{"email":"matrix@example.com"}""", false, All(200)),
            new("GET", "/api/v1/users/me", () => "/api/v1/users/me", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("PUT", "/api/v1/users/me", () => "/api/v1/users/me", """{"display_name":"Matrix"}""", false, Protected(user: 204, creator: 204, shopkeeper: 204, admin: 204)),
            new("GET", "/api/v1/users/me/export", () => "/api/v1/users/me/export", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("GET", "/api/v1/notifications", () => "/api/v1/notifications", null, false, Protected(user: 200, creator: 200, shopkeeper: 200, admin: 200)),
            new("POST", "/api/v1/notifications/{notification_id}/read", () => $"/api/v1/notifications/{Shared.Domain.Notifications.InboxIds.Of(uNotice.MessageId)}/read", null, false, Protected(user: 204, creator: 404, shopkeeper: 404, admin: 404)),
            new("PUT", "/api/v1/customers/me/devices", () => "/api/v1/customers/me/devices", """{"fcm_token":"matrix-device-token"}""", false, Protected(user: 204, creator: 204, shopkeeper: 204, admin: 204)),
            new("DELETE", "/api/v1/customers/me/devices", () => "/api/v1/customers/me/devices", """{"fcm_token":"matrix-device-token"}""", false, Protected(user: 204, creator: 204, shopkeeper: 204, admin: 204)),

            // Last: it erases. U erases U; the creator token erases W, whose later tokens (shopkeeper, admin) are then refused.
            new("DELETE", "/api/v1/users/me", () => "/api/v1/users/me", null, false, Protected(user: 204, creator: 204, shopkeeper: 401, admin: 401)),
        };

        var mapped = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        var covered = rows.Select(r => $"{r.Method} {r.Pattern}").ToHashSet();
        Assert.True(mapped.SetEquals(covered), $"Endpoints without a matrix row: {string.Join(", ", mapped.Except(covered))}; rows without an endpoint: {string.Join(", ", covered.Except(mapped))}");

        // What no caller but its owner may ever see: the other tenant's user and request, and U's request (W is not U).
        string[] betaSecrets = [(string)v["user_id"]!, vRequest, "beta secret request text"];
        string[] uSecrets = [uRequest, "alpha secret request text", "alpha secret notification text"];
        using var browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var failures = new List<string>();
        var calls = 0;
        foreach (var row in rows)
        {
            foreach (var (who, credentials) in callers)
            {
                var path = row.Path();
                if (row.LinkInQuery && credentials.Link is { } link)
                {
                    path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "token=" + Uri.EscapeDataString(link);
                }

                using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
                request.Headers.Add("X-Tenant-ID", "alpha");
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                if (!row.LinkInQuery && credentials.Bearer is { } bearer)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }

                if (row.Body is { } body)
                {
                    request.Content = new StringContent(row.Pattern.EndsWith("identify", StringComparison.Ordinal) ? $$"""{"extension_id":"{{ApiCalls.NewExtensionId()}}"}""" : body, Encoding.UTF8, "application/json");
                }

                using var response = await browser.SendAsync(request);
                calls++;
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status != row.Expected[who])
                {
                    failures.Add($"{row.Method} {row.Pattern} as {who}: {status}, expected {row.Expected[who]} ({text[..Math.Min(200, text.Length)]})");
                }

                if (status >= 500)
                {
                    failures.Add($"{row.Method} {row.Pattern} as {who}: a server error");
                }

                var leaked = betaSecrets.Concat(who == Who.User ? [] : uSecrets).Where(secret => text.Contains(secret, StringComparison.Ordinal)).ToList();
                if (leaked.Count > 0)
                {
                    failures.Add($"{row.Method} {row.Pattern} as {who}: the answer contains {string.Join(", ", leaked)}");
                }
            }
        }

        output.WriteLine($"{rows.Count} endpoints × {callers.Count} callers = {calls} calls, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_endpoint_declares_a_policy_or_that_it_is_public()
    {
        _ = Factory.Server;
        var undeclared = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Count == 0)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.True(undeclared.Count == 0, $"Endpoints that declare neither RequireAuthorization(policy) nor AllowAnonymous(): {string.Join(", ", undeclared)}");
    }

    [Fact]
    public async Task A_user_of_another_tenant_finds_nothing_of_this_tenant_by_id_in_its_own_tenant()
    {
        using var alphaClient = Factory.Tenant("alpha");
        var u = await alphaClient.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var uRequest = await SubmitAsync(alphaClient, (string)u["access_token"]!, "alpha private text");
        using var betaClient = Factory.Tenant("beta");
        var v = await betaClient.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        betaClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)v["access_token"]!);

        using var quota = await betaClient.GetAsync($"/api/v1/users/{u["user_id"]}/quota");
        using var featureRequest = await betaClient.GetAsync($"/api/v1/features/requests/{uRequest}");
        var list = await betaClient.GetStringAsync("/api/v1/features/requests");

        Assert.Equal((404, 404), ((int)quota.StatusCode, (int)featureRequest.StatusCode));
        Assert.DoesNotContain(uRequest, list, StringComparison.Ordinal);
    }

    private static async Task<string> SubmitAsync(HttpClient client, string token, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/features/requests") { Content = new StringContent($$"""{"request_text":"{{text}}"}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await ApiCalls.ReadObjectAsync(response);
        Assert.True((int)response.StatusCode == 202, body.ToJsonString());
        return (string)body["id"]!;
    }
}
