using Microsoft.Azure.Cosmos;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Xunit;

namespace Shared.Infrastructure.Tests.Billing;

/// <summary>The billing store's promises about subscriptions by id and anomalies, on each store.</summary>
public abstract class BillingStoreScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync();

    protected static Subscription Sub(UserId user, string id, SubscriptionStatus status, DateTimeOffset updated, string plan = "pro", TenantId? tenant = null) =>
        new(tenant ?? Alpha, user, id, "cus_1", PlanId.Parse(plan), BillingCycle.Monthly, status, Now, Now.AddMonths(1), false, status == SubscriptionStatus.PastDue ? Now.AddDays(3) : null, updated, Now);

    [StoreFact]
    public async Task Every_subscription_is_kept_under_its_own_id()
    {
        await using var store = await StoreAsync();
        var billing = store.Get<IBillingStore>();
        var user = UserId.New();

        Assert.True(await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_b", SubscriptionStatus.Active, Now), default));
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_a", SubscriptionStatus.Active, Now, "unlimited"), default));
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_b", SubscriptionStatus.Canceled, Now.AddSeconds(1)), default));

        var all = await billing.ListSubscriptionsAsync(Alpha, user, default);
        Assert.Equal(["sub_a", "sub_b"], all.Select(s => s.StripeSubscriptionId));
        Assert.Equal((SubscriptionStatus.Active, "unlimited"), (all[0].Status, all[0].PlanId.Value));
        Assert.Equal(SubscriptionStatus.Canceled, (await billing.GetSubscriptionAsync(Alpha, user, "sub_b", default))!.Status);
        Assert.Equal(Now, all[0].BillingAnchor);
        Assert.Empty(await billing.ListSubscriptionsAsync(Beta, user, default));
        Assert.Null(await billing.GetSubscriptionAsync(Alpha, UserId.New(), "sub_a", default));
    }

    [StoreFact]
    public async Task An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again()
    {
        await using var store = await StoreAsync();
        var billing = store.Get<IBillingStore>();
        var user = UserId.New();
        await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_x", SubscriptionStatus.Active, Now.AddSeconds(10)), default);

        var older = await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_x", SubscriptionStatus.Canceled, Now.AddSeconds(9)), default);
        var equal = await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_x", SubscriptionStatus.PastDue, Now.AddSeconds(10)), default);
        var otherSubscription = await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_y", SubscriptionStatus.Active, Now), default);

        Assert.False(older);
        Assert.True(equal);
        Assert.True(otherSubscription);
        Assert.Equal(SubscriptionStatus.PastDue, (await billing.GetSubscriptionAsync(Alpha, user, "sub_x", default))!.Status);
    }

    [StoreFact]
    public async Task The_grace_listing_names_each_expired_subscription()
    {
        await using var store = await StoreAsync();
        var billing = store.Get<IBillingStore>();
        var tenant = TenantId.Parse("gamma");
        var user = UserId.New();
        await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_due", SubscriptionStatus.PastDue, Now, tenant: tenant), default);
        await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_fine", SubscriptionStatus.Active, Now, tenant: tenant), default);

        Assert.Empty(await billing.ListGraceExpiredAsync(tenant, Now.AddDays(3).AddSeconds(-1), 10, default));
        var expired = Assert.Single(await billing.ListGraceExpiredAsync(tenant, Now.AddDays(3), 10, default));
        Assert.Equal(("sub_due", user), (expired.StripeSubscriptionId, expired.UserId));
    }

    [StoreFact]
    public async Task An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first()
    {
        await using var store = await StoreAsync();
        var billing = store.Get<IBillingStore>();
        var tenant = TenantId.Parse("gamma");
        var (u1, u2) = (UserId.New(), UserId.New());
        BillingAnomaly Anomaly(UserId user, string id, DateTimeOffset at) => new(tenant, user, id, BillingAnomaly.SecondActiveSubscription, ["sub_1", "sub_2"], at, "two subscriptions");

        Assert.True(await billing.RecordAnomalyAsync(Anomaly(u1, "second_active_subscription:sub_1:sub_2", Now), default));
        Assert.False(await billing.RecordAnomalyAsync(Anomaly(u1, "second_active_subscription:sub_1:sub_2", Now.AddHours(1)), default));
        Assert.True(await billing.RecordAnomalyAsync(Anomaly(u2, "second_active_subscription:sub_3:sub_4", Now.AddMinutes(1)), default));

        var listed = await billing.ListAnomaliesAsync(tenant, 10, default);
        Assert.Equal([u2, u1], listed.Select(a => a.UserId));
        Assert.Equal(["sub_1", "sub_2"], listed[1].SubscriptionIds);
        Assert.Equal(Now, listed[1].DetectedAt);
        Assert.Single(await billing.ListAnomaliesAsync(tenant, 1, default));
        Assert.DoesNotContain(await billing.ListAnomaliesAsync(Beta, 10, default), a => a.UserId == u1);
    }
}
