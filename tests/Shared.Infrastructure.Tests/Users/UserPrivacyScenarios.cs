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
