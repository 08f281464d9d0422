using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Xunit;

namespace Shared.Infrastructure.Tests.Users;

/// <summary>Display names and erasure tombstones on both stores.</summary>
public abstract class UserPrivacyScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync();

    [StoreFact]
    public async Task A_display_name_is_stored_read_back_and_cleared_and_a_missing_user_gets_none()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var other = UserId.New();
        await store.Users.EnsureUserAsync(Alpha, user, Now, default);
        await store.Users.EnsureUserAsync(Alpha, other, Now, default);

        Assert.Null((await store.Users.GetAsync(Alpha, user, default))!.DisplayName);
        Assert.True(await store.Users.SetDisplayNameAsync(Alpha, user, "Ada Lovelace", default));
        Assert.Equal("Ada Lovelace", (await store.Users.GetAsync(Alpha, user, default))!.DisplayName);
        Assert.Null((await store.Users.GetAsync(Alpha, other, default))!.DisplayName);
        Assert.True(await store.Users.SetDisplayNameAsync(Alpha, user, null, default));
        Assert.Null((await store.Users.GetAsync(Alpha, user, default))!.DisplayName);
        Assert.False(await store.Users.SetDisplayNameAsync(Alpha, UserId.New(), "Nobody", default));
        Assert.False(await store.Users.SetDisplayNameAsync(Beta, user, "Same id, other tenant", default));
        Assert.Null(await store.Users.GetAsync(Beta, user, default));
    }

    [StoreFact]
    public async Task Display_names_read_in_one_batch_are_those_read_one_by_one_and_never_another_tenants()
    {
        await using var store = await StoreAsync();
        var named = UserId.New();
        var unnamed = UserId.New();
        var erased = UserId.New();
        var unknown = UserId.New();
        var betaOnly = UserId.New();
        var inBoth = UserId.New();
        foreach (var (tenant, user, name) in new[] { (Alpha, named, "Ada"), (Alpha, unnamed, null), (Alpha, erased, "Gone Soon"), (Beta, betaOnly, "Beta's user"), (Alpha, inBoth, "Alpha's Grace"), (Beta, inBoth, "Beta's Grace") })
        {
            await store.Users.EnsureUserAsync(tenant, user, Now, default);
            if (name is not null)
            {
                Assert.True(await store.Users.SetDisplayNameAsync(tenant, user, name, default));
            }
        }

        Assert.True(await store.Get<EraseUserData>().HandleAsync(Alpha, erased, default) > 0);
        Assert.Null(await store.Users.GetAsync(Alpha, erased, default));

        UserId[] asked = [named, unnamed, erased, unknown, betaOnly, inBoth, named, unknown, unnamed];
        var batch = await store.Users.GetDisplayNamesAsync(Alpha, asked, default);

        var oneByOne = new Dictionary<UserId, string?>();
        foreach (var user in asked.Distinct())
        {
            if (await store.Users.GetAsync(Alpha, user, default) is { } account)
            {
                oneByOne[user] = account.DisplayName;
            }
        }

        Assert.Equal(oneByOne, batch);
        Assert.Equal(new Dictionary<UserId, string?> { [named] = "Ada", [unnamed] = null, [inBoth] = "Alpha's Grace" }, batch);
        Assert.Equal(new Dictionary<UserId, string?> { [betaOnly] = "Beta's user", [inBoth] = "Beta's Grace" }, await store.Users.GetDisplayNamesAsync(Beta, asked, default));
        Assert.Empty(await store.Users.GetDisplayNamesAsync(Alpha, [], default));
    }

    [StoreFact]
    public async Task Display_names_of_more_users_than_a_query_page_come_back_whole_and_a_batch_over_the_bound_is_refused()
    {
        await using var store = await StoreAsync();
        var users = Enumerable.Range(0, 150).Select(_ => UserId.New()).ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            await store.Users.EnsureUserAsync(Alpha, user, Now, default);
            Assert.True(await store.Users.SetDisplayNameAsync(Alpha, user, $"User {i}", default));
        }

        var names = await store.Users.GetDisplayNamesAsync(Alpha, [.. users, .. Enumerable.Range(0, 350).Select(_ => UserId.New())], default);

        Assert.Equal(users.Select((u, i) => (u, $"User {i}")).OrderBy(p => p.u.Value, StringComparer.Ordinal), names.Select(p => (p.Key, p.Value!)).OrderBy(p => p.Key.Value, StringComparer.Ordinal));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.Users.GetDisplayNamesAsync(Alpha, [.. users, .. Enumerable.Range(0, 351).Select(_ => UserId.New())], default));
        Assert.Equal(150, (await store.Users.GetDisplayNamesAsync(Alpha, [.. users, .. users, .. users, .. users], default)).Count); // 600 ids, 150 distinct
    }

    [StoreFact]
    public async Task A_tombstone_is_recorded_once_and_names_only_its_user_in_its_tenant()
    {
        await using var store = await StoreAsync();
        var registry = store.Get<IErasureRegistry>();
        var user = UserId.New();

        Assert.False(await registry.IsErasedAsync(Alpha, user, default));
        Assert.True(await registry.TryRecordAsync(Alpha, user, Now, default));
        Assert.False(await registry.TryRecordAsync(Alpha, user, Now.AddMinutes(1), default));

        Assert.True(await registry.IsErasedAsync(Alpha, user, default));
        Assert.False(await registry.IsErasedAsync(Beta, user, default));
        Assert.False(await registry.IsErasedAsync(Alpha, UserId.New(), default));
    }
}
