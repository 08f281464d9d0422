using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Tenants;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Referrals;

/// <summary>Referral perks on both stores: bonus uses raise the limit the atomic consumption checks; each referral rewards once.</summary>
public abstract class ReferralScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    protected static Tenant AlphaTenant => new(Alpha, "Alpha", [new Plan(PlanId.Parse("free"), "Free", new Allowance(2, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}");

    protected static async Task<UserId> UserAsync(StoreSet store, int limit = 2)
    {
        var user = UserId.New();
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("free"), new Allowance(limit, ResetPeriod.Day), Now, Now), default);
        return user;
    }

    [StoreFact]
    public async Task Bonus_uses_raise_the_limit_that_consumption_checks_and_each_grant_counts_once()
    {
        await using var store = await StoreAsync();
        var user = await UserAsync(store);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(ConsumeKind.Allowed, (await store.Quotas.TryConsumeAsync(Alpha, user, null, Now, default))!.Kind);
        }

        Assert.Equal(ConsumeKind.Denied, (await store.Quotas.TryConsumeAsync(Alpha, user, null, Now, default))!.Kind);

        Assert.True(await store.Quotas.GrantBonusAsync(Alpha, user, "referral:a", 3, default));
        Assert.False(await store.Quotas.GrantBonusAsync(Alpha, user, "referral:a", 3, default));
        Assert.False(await store.Quotas.GrantBonusAsync(Alpha, UserId.New(), "referral:a", 3, default)); // no account

        var outcomes = new List<ConsumeOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await store.Quotas.TryConsumeAsync(Alpha, user, null, Now, default))!);
        }

        Assert.Equal([ConsumeKind.Allowed, ConsumeKind.Allowed, ConsumeKind.Allowed, ConsumeKind.Denied], outcomes.Select(o => o.Kind));
        Assert.Equal(5, outcomes[^1].Status.Limit);
        Assert.Equal(0, outcomes[^1].Status.Remaining);

        // The bonus stays across the period boundary and a plan change.
        Assert.Equal(ConsumeKind.Allowed, (await store.Quotas.TryConsumeAsync(Alpha, user, null, Now.AddDays(1), default))!.Kind);
        Assert.True(await store.Quotas.ChangePlanAsync(Alpha, user, PlanId.Parse("pro"), new Allowance(10, ResetPeriod.Day), Now, Now.AddDays(1), default));
        Assert.Equal(13, (await store.Quotas.GetAsync(Alpha, user, default))!.StatusAt(Now.AddDays(1)).Limit);
    }

    [StoreFact]
    public async Task A_referral_is_recorded_once_confirmed_once_and_rewarded_once()
    {
        await using var store = await StoreAsync();
        var referrals = store.Get<IReferralStore>();
        var referrer = await UserAsync(store);
        var referred = UserId.New();
        var referral = new Referral(Alpha, referrer, referred, ReferralStatus.Pending, Now);

        Assert.True(await referrals.TryCreateAsync(referral, default));
        Assert.False(await referrals.TryCreateAsync(referral with { ReferrerId = UserId.New() }, default));
        Assert.False(await referrals.MarkRewardedAsync(Alpha, referred, Now, default)); // not confirmed yet
        Assert.True(await referrals.ConfirmAsync(Alpha, referred, Now.AddHours(1), default));
        Assert.False(await referrals.ConfirmAsync(Alpha, referred, Now.AddHours(2), default));
        Assert.True(await referrals.MarkRewardedAsync(Alpha, referred, Now.AddHours(3), default));
        Assert.False(await referrals.MarkRewardedAsync(Alpha, referred, Now.AddHours(4), default));

        var stored = await referrals.GetAsync(Alpha, referred, default);
        Assert.Equal(ReferralStatus.Rewarded, stored!.Status);
        Assert.Equal(referrer, stored.ReferrerId);
        Assert.Equal(Now.AddHours(1), stored.ConfirmedAt);
        Assert.Null(await referrals.GetAsync(TenantId.Parse("beta"), referred, default));
    }

    [StoreFact]
    public async Task The_perk_sweep_grants_each_confirmed_referral_once_even_after_stopping_midway()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var referrals = store.Get<IReferralStore>();
        var handler = store.Get<ReferralHandler>();
        var sweep = store.Get<ReferralPerkSweep>();
        var perk = store.Get<ReferralOptions>().PerkUses;
        var referrer = await UserAsync(store);
        var friends = Enumerable.Range(0, 3).Select(_ => UserId.New()).ToList();
        foreach (var friend in friends)
        {
            Assert.True((await handler.ReferAsync(Alpha, referrer, friend, default)).IsSuccess);
        }

        Assert.False((await handler.ReferAsync(Alpha, referrer, referrer, default)).IsSuccess);
        Assert.Equal("referrer_not_found", (await handler.ReferAsync(Alpha, UserId.New(), UserId.New(), default)).Error!.Code);
        Assert.Equal("already_referred", (await handler.ReferAsync(Alpha, referrer, friends[0], default)).Error!.Code);

        Assert.Equal(0, await sweep.RunAsync(AlphaTenant, default)); // nothing confirmed yet
        Assert.True(await handler.ConfirmAsync(Alpha, friends[0], default));
        Assert.True(await handler.ConfirmAsync(Alpha, friends[1], default));

        // A previous run stopped after granting the first perk, before marking its referral rewarded.
        var first = (await referrals.GetAsync(Alpha, friends[0], default))!;
        Assert.True(await store.Quotas.GrantBonusAsync(Alpha, referrer, first.GrantKey, perk, default));

        Assert.Equal(1, await sweep.RunAsync(AlphaTenant, default)); // the second; the first's grant is not repeated
        Assert.Equal(0, await sweep.RunAsync(AlphaTenant, default));
        Assert.Equal(2 * perk, (await store.Quotas.GetAsync(Alpha, referrer, default))!.BonusUses);
        Assert.Equal(ReferralStatus.Rewarded, (await referrals.GetAsync(Alpha, friends[0], default))!.Status);
        Assert.Equal(ReferralStatus.Pending, (await referrals.GetAsync(Alpha, friends[2], default))!.Status);
    }
}
