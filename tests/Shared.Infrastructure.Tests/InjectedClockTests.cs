using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// Caches and token reuse follow the injected clock alone. Each test runs with a manual clock far before and far after
/// the machine's clock: a component that consulted the machine's clock would expire too early in one of the two.
/// </summary>
public sealed class InjectedClockTests
{
    public static TheoryData<DateTimeOffset> FarFromNow => new()
    {
        new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero),
        new DateTimeOffset(2098, 7, 6, 5, 4, 3, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(FarFromNow))]
    public async Task An_access_token_is_reused_until_two_thirds_of_its_lifetime_by_the_injected_clock_and_then_renewed(DateTimeOffset start)
    {
        var clock = new ManualTimeProvider(start);
        using var tokens = new JwtAccessTokens(new Secrets.ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Secrets:jwt_signing_key", (string?)"clock-tests-signing-key-0123456789abcdef0123456789")]).Build()), new TokenOptions { LifetimeSeconds = 900 }, clock);
        var tenant = TenantId.Parse("alpha");
        var user = UserId.New();

        var first = await tokens.IssueAsync(tenant, user, Role.User, default);
        clock.Advance(TimeSpan.FromSeconds(599));
        var lastReuse = await tokens.IssueAsync(tenant, user, Role.User, default);
        clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await tokens.IssueAsync(tenant, user, Role.User, default);
        clock.Advance(TimeSpan.FromSeconds(10));
        var renewedReused = await tokens.IssueAsync(tenant, user, Role.User, default);

        Assert.Equal(first.Value, lastReuse.Value);
        Assert.Equal(301, lastReuse.ExpiresInSeconds);
        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Equal(900, renewed.ExpiresInSeconds);
        Assert.Equal(renewed.Value, renewedReused.Value);
        Assert.Equal(890, renewedReused.ExpiresInSeconds);
        Assert.NotNull(await tokens.ValidateAsync(renewed.Value, default));
        Assert.NotNull(await tokens.ValidateAsync(first.Value, default)); // 610 s into its 900
    }

    [Theory]
    [MemberData(nameof(FarFromNow))]
    public async Task The_apps_shared_memory_cache_expires_entries_by_the_injected_clock(DateTimeOffset start)
    {
        var clock = new ManualTimeProvider(start);
        await using var stores = await StoreSet.SqliteAsync(clock);
        var cache = stores.Get<IMemoryCache>();

        cache.Set("absolute", 1, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30), Size = 1 });
        cache.Set("sliding", 2, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30), Size = 1 });
        clock.Advance(TimeSpan.FromSeconds(29));
        var absoluteBefore = cache.TryGetValue("absolute", out _);
        clock.Advance(TimeSpan.FromSeconds(2));
        var absoluteAfter = cache.TryGetValue("absolute", out _);
        clock.Advance(TimeSpan.FromMinutes(29)); // 29 min 31 s since the sliding entry was last read
        var slidingBefore = cache.TryGetValue("sliding", out _);
        clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        var slidingAfter = cache.TryGetValue("sliding", out _);

        Assert.True(absoluteBefore);
        Assert.False(absoluteAfter);
        Assert.True(slidingBefore);
        Assert.False(slidingAfter);
    }

    [Theory]
    [MemberData(nameof(FarFromNow))]
    public async Task The_tenant_directory_sees_a_new_tenant_once_its_cached_miss_expires_by_the_injected_clock(DateTimeOffset start)
    {
        var clock = new ManualTimeProvider(start);
        await using var stores = await StoreSet.SqliteAsync(clock);
        var directory = stores.Get<ITenantDirectory>();
        var id = TenantId.Parse($"t-{Guid.NewGuid():N}"[..20]);
        var free = new Plan(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), ["Basic"], isDefault: true);

        var missing = await directory.FindAsync(id, default);
        await stores.Tenants.UpsertAsync(new Tenant(id, "Late", [free], "https://x.example/u?token={link_token}"), default);
        clock.Advance(TimeSpan.FromSeconds(4));
        var stillMissing = await directory.FindAsync(id, default); // misses are cached for 5 s
        clock.Advance(TimeSpan.FromSeconds(2));
        var found = await directory.FindAsync(id, default);

        Assert.Null(missing);
        Assert.Null(stillMissing);
        Assert.Equal("Late", found?.Name);
    }
}
