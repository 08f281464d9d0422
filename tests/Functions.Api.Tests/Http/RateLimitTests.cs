using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Per-address, per-user and per-tenant request limits: 429 problems with Retry-After that change nothing.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_user_over_their_rate_gets_429_with_retry_after_while_others_carry_on()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "5" });
        using var mine = factory.Tenant(TestTenants.Alpha, "198.51.100.1");
        using var theirs = factory.Tenant(TestTenants.Alpha, "198.51.100.2");
        var me = await mine.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var other = await theirs.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        // (each identify took 1 of its address' 5)

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var (status, _) = await mine.GetQuotaAsync((string)me["user_id"]!, (string)me["access_token"]!);
            statuses.Add(status);
        }

        Assert.Equal([200, 200, 200, 200, 429], statuses);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{me["user_id"]}/quota");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)me["access_token"]!);
        using var refused = await mine.SendAsync(request);
        var problem = await ApiCalls.ReadObjectAsync(refused);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("rate_limited", (string)problem["code"]!);
        Assert.NotNull(refused.Headers.RetryAfter);

        var (otherStatus, _) = await theirs.GetQuotaAsync((string)other["user_id"]!, (string)other["access_token"]!);
        Assert.Equal(200, otherStatus);
    }

    [Fact]
    public async Task Attaching_a_valid_token_does_not_multiply_an_address_budget()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "5" });
        // Tokens are cheap: identify mints one per new installation. Three, each minted from an address of its own.
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var minting = factory.Tenant(TestTenants.Alpha, $"192.0.2.{10 + i}");
            tokens.Add((string)(await minting.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["access_token"]!);
        }

        // From one address, rotating the tokens: before, each token opened a budget of its own (15 requests here).
        using var attacker = factory.Tenant(TestTenants.Alpha, "203.0.113.7");
        var statuses = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plans");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i % tokens.Count]);
            using var response = await attacker.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 200, 200, 200, 200, 429, 429, 429, 429], statuses);
    }

    [Fact]
    public async Task A_users_budget_follows_them_across_addresses()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "5" });
        using var first = factory.Tenant(TestTenants.Alpha, "192.0.2.50");
        var me = await first.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var statuses = new List<int>();
        for (var i = 0; i < 7; i++)
        {
            using var hopping = factory.Tenant(TestTenants.Alpha, $"192.0.2.{60 + i}");
            var (status, _) = await hopping.GetQuotaAsync((string)me["user_id"]!, (string)me["access_token"]!);
            statuses.Add(status);
        }

        Assert.Equal([200, 200, 200, 200, 200, 429, 429], statuses); // the identify did not count: it carried no token
    }

    [Fact]
    public async Task Addresses_in_one_IPv6_64_share_a_budget()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "3" });

        var statuses = new List<int>();
        foreach (var peer in new[] { "2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:abcd::9" })
        {
            using var client = factory.Tenant(TestTenants.Alpha, peer);
            using var response = await client.GetAsync("/api/v1/plans");
            statuses.Add((int)response.StatusCode);
        }

        using var neighbour = factory.Tenant(TestTenants.Alpha, "2001:db8:1:3::1");
        using var neighbours = await neighbour.GetAsync("/api/v1/plans");

        Assert.Equal([200, 200, 200, 429], statuses);
        Assert.Equal(200, (int)neighbours.StatusCode);
    }

    [Fact]
    public async Task Unknown_tenants_are_limited_per_address_before_any_store_read()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:UnknownTenantPerAddressPerMinute"] = "3" });
        using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(CountingTenantStore.Install));
        var store = app.Services.GetRequiredService<CountingTenantStore>();
        using (var warm = app.CreateClient())
        {
            warm.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);
            warm.DefaultRequestHeaders.Add(TestPeerAddress.Header, "192.0.2.1");
            using var known = await warm.GetAsync("/api/v1/plans"); // alpha is now cached as existing
            Assert.Equal(200, (int)known.StatusCode);
        }

        var readsBefore = store.Reads;
        var statuses = new List<(int Status, string? Code, string? RetryAfter)>();
        for (var i = 0; i < 10; i++)
        {
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("X-Tenant-ID", $"no-such-tenant-{i}");
            client.DefaultRequestHeaders.Add(TestPeerAddress.Header, "203.0.113.9");
            using var response = await client.GetAsync("/api/v1/plans");
            statuses.Add(((int)response.StatusCode, (string?)(await ApiCalls.ReadObjectAsync(response))["code"], response.Headers.RetryAfter?.ToString()));
        }

        var readsByFlood = store.Reads - readsBefore;
        using var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("X-Tenant-ID", "no-such-tenant-x");
        other.DefaultRequestHeaders.Add(TestPeerAddress.Header, "203.0.113.10");
        using var otherAddress = await other.GetAsync("/api/v1/plans");
        using var real = app.CreateClient();
        real.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);
        real.DefaultRequestHeaders.Add(TestPeerAddress.Header, "203.0.113.9");
        using var realTenant = await real.GetAsync("/api/v1/plans");

        Assert.Equal(Enumerable.Repeat((404, (string?)"tenant_not_found", (string?)null), 3), statuses.Take(3));
        Assert.All(statuses.Skip(3), s => Assert.Equal((429, "rate_limited", "10"), s));
        Assert.Equal(3, readsByFlood); // the 7 refused never reached the store
        Assert.Equal(404, (int)otherAddress.StatusCode); // another address has its own budget
        Assert.Equal(200, (int)realTenant.StatusCode); // a tenant known to exist costs nothing from that budget
    }

    [Fact]
    public async Task X_Forwarded_For_is_ignored_outside_the_Functions_host()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "2" });

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var client = factory.Tenant(TestTenants.Alpha, "203.0.113.20");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i}");
            using var response = await client.GetAsync("/api/v1/plans");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 200, 429, 429], statuses);
    }

    [Fact]
    public async Task Under_the_Functions_host_the_address_is_the_entry_Azure_appends_last()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:Requests:PerCallerPerMinute"] = "2",
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7999", // what the Functions host sets; the in-memory server ignores the port
        });

        async Task<int> FromHostAsync(string forwardedFor, string peer = "127.0.0.1")
        {
            using var client = factory.Tenant(TestTenants.Alpha, peer);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.GetAsync("/api/v1/plans");
            return (int)response.StatusCode;
        }

        // The client wrote the first entries itself; Azure's front end appended the address it saw (with its port).
        var spoofing = new List<int>();
        foreach (var sent in new[] { "1.1.1.1", "2.2.2.2, 3.3.3.3", "4.4.4.4" })
        {
            spoofing.Add(await FromHostAsync($"{sent}, 203.0.113.30:51234"));
        }

        var anotherClient = await FromHostAsync("1.1.1.1, 203.0.113.31:40000");
        // A peer that is not the host on loopback is not trusted to forward: its own address counts.
        var notTheHost = new List<int>();
        foreach (var claimed in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            notTheHost.Add(await FromHostAsync(claimed, peer: "192.0.2.99"));
        }

        Assert.Equal([200, 200, 429], spoofing);
        Assert.Equal(200, anotherClient);
        Assert.Equal([200, 200, 429], notTheHost);
    }

    [Fact]
    public async Task A_tenant_over_its_rate_is_refused_without_storing_anything_and_other_tenants_are_unaffected()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerTenantPerSecond"] = "3" });
        using var alpha = factory.Tenant(TestTenants.Alpha);
        var extensions = Enumerable.Range(0, 20).Select(_ => ApiCalls.NewExtensionId()).ToList();

        var statuses = new List<int>();
        foreach (var extension in extensions)
        {
            using var response = await alpha.IdentifyAsync(new { extension_id = extension });
            statuses.Add((int)response.StatusCode);
        }

        Assert.Contains(429, statuses);
        var users = factory.Services.GetRequiredService<Func<IUserDirectory>>()();
        foreach (var (extension, status) in extensions.Zip(statuses))
        {
            Assert.True(ExtensionId.TryParse(extension, out var id));
            var stored = await users.FindInstallationAsync(TenantId.Parse(TestTenants.Alpha), id.Value, default);
            Assert.Equal(status == 200, stored is not null);
        }

        using var beta = factory.Tenant(TestTenants.Beta);
        using var betaAnswer = await beta.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId() });
        Assert.Equal(200, (int)betaAnswer.StatusCode);
    }

    [Fact]
    public async Task Stripes_webhook_is_not_rate_limited()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "1" });
        using var client = factory.CreateClient();

        var webhook = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("/api/v1/webhooks/stripe/alpha", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            webhook.Add((int)response.StatusCode);
        }

        using var plans = factory.Tenant(TestTenants.Alpha);
        using var first = await plans.GetAsync("/api/v1/plans");
        using var second = await plans.GetAsync("/api/v1/plans");

        Assert.Equal([400, 400, 400], webhook); // refused for its missing signature, never for the rate
        Assert.Equal(200, (int)first.StatusCode); // the webhook calls did not spend this address' one request
        Assert.Equal(429, (int)second.StatusCode);
    }

    [Fact]
    public async Task A_tenants_rate_refills_by_the_injected_clock_and_not_by_real_time()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerTenantPerSecond"] = "3" });
        using var alpha = factory.Tenant(TestTenants.Alpha);

        var first = await StatusesAsync(alpha, 4);
        using var refused = await alpha.GetAsync("/api/v1/plans");
        await Task.Delay(TimeSpan.FromMilliseconds(1500)); // real time only: the app's clock has not moved
        var afterRealTime = await StatusesAsync(alpha, 1);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterInjectedTime = await StatusesAsync(alpha, 4);

        Assert.Equal([200, 200, 200, 429], first);
        Assert.Equal("1", refused.Headers.RetryAfter!.ToString());
        Assert.Equal([429], afterRealTime);
        Assert.Equal([200, 200, 200, 429], afterInjectedTime);
    }

    [Fact]
    public async Task A_callers_rate_refills_a_sixth_every_ten_seconds_of_the_injected_clock()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "6" });
        using var alpha = factory.Tenant(TestTenants.Alpha);

        var minute = await StatusesAsync(alpha, 6);
        using var refused = await alpha.GetAsync("/api/v1/plans");
        factory.Clock.Advance(TimeSpan.FromSeconds(9));
        using var almost = await alpha.GetAsync("/api/v1/plans");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var refilled = await StatusesAsync(alpha, 2);

        Assert.Equal([200, 200, 200, 200, 200, 200], minute);
        Assert.Equal((429, "10"), ((int)refused.StatusCode, refused.Headers.RetryAfter!.ToString()));
        Assert.Equal((429, "1"), ((int)almost.StatusCode, almost.Headers.RetryAfter!.ToString()));
        Assert.Equal([200, 429], refilled);
    }

    private static async Task<List<int>> StatusesAsync(HttpClient client, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/api/v1/plans");
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
