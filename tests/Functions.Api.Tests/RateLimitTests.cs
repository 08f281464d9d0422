using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Users;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Per-caller and per-tenant request limits: 429 problems with Retry-After that change nothing.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_user_over_their_rate_gets_429_with_retry_after_while_others_carry_on()
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "5" });
        using var anonymous = factory.Tenant(TestTenants.Alpha);
        var me = await anonymous.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var other = await factory.Tenant(TestTenants.Alpha).IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        // (the two identify calls above came from one address: 2 of that address' 5)

        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var (status, _) = await anonymous.GetQuotaAsync((string)me["user_id"]!, (string)me["access_token"]!);
            statuses.Add(status);
        }

        Assert.Equal([200, 200, 200, 200, 200, 429], statuses);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{me["user_id"]}/quota");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)me["access_token"]!);
        using var refused = await anonymous.SendAsync(request);
        var problem = await ApiCalls.ReadObjectAsync(refused);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("rate_limited", (string)problem["code"]!);
        Assert.NotNull(refused.Headers.RetryAfter);

        var (otherStatus, _) = await anonymous.GetQuotaAsync((string)other["user_id"]!, (string)other["access_token"]!);
        Assert.Equal(200, otherStatus);
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
