using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// The whole app on a clock decades before and after the machine's: tokens, their reuse and expiry, caches and rate
/// limits all follow the injected clock, so nothing here depends on today's date (the other tests' clock starts in
/// November 2026, which the machine's clock also reaches).
/// </summary>
public sealed class FarClockTests
{
    public static TheoryData<DateTimeOffset> FarFromNow => new()
    {
        new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero),
        new DateTimeOffset(2098, 7, 6, 5, 4, 3, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(FarFromNow))]
    public async Task Tokens_are_reused_renewed_and_expired_by_the_apps_clock(DateTimeOffset start)
    {
        using var factory = new ApiFactory(StoreKind.Sqlite);
        factory.Clock.Set(start);
        using var client = factory.Tenant(TestTenants.Alpha);
        var extension = ApiCalls.NewExtensionId();

        var first = await client.IdentifyOkAsync(new { extension_id = extension });
        factory.Clock.Advance(TimeSpan.FromSeconds(100));
        var reused = await client.IdentifyOkAsync(new { extension_id = extension });
        var (quotaWithToken, _) = await client.GetQuotaAsync((string)first["user_id"]!, (string)first["access_token"]!);
        factory.Clock.Advance(TimeSpan.FromSeconds(500));
        var renewed = await client.IdentifyOkAsync(new { extension_id = extension });
        factory.Clock.Advance(TimeSpan.FromSeconds(300 + 31));
        var (oldTokenAfterExpiry, _) = await client.GetQuotaAsync((string)first["user_id"]!, (string)first["access_token"]!);
        var (renewedToken, _) = await client.GetQuotaAsync((string)first["user_id"]!, (string)renewed["access_token"]!);

        Assert.Equal((string)first["access_token"]!, (string)reused["access_token"]!);
        Assert.Equal(800, (int)reused["expires_in"]!);
        Assert.Equal(200, quotaWithToken);
        Assert.NotEqual((string)first["access_token"]!, (string)renewed["access_token"]!);
        Assert.Equal(900, (int)renewed["expires_in"]!);
        Assert.Equal(401, oldTokenAfterExpiry);
        Assert.Equal(200, renewedToken);
    }

    [Theory]
    [MemberData(nameof(FarFromNow))]
    public async Task Request_limits_refill_by_the_apps_clock(DateTimeOffset start)
    {
        using var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:Requests:PerCallerPerMinute"] = "2" });
        factory.Clock.Set(start);
        using var client = factory.Tenant(TestTenants.Alpha);

        var statuses = new List<int>();
        foreach (var advance in new[] { 0, 0, 0, 9, 1, 0 })
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(advance));
            using var response = await client.GetAsync("/api/v1/plans");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 200, 429, 429, 200, 429], statuses);
    }
}
