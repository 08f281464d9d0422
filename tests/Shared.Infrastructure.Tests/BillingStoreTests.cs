using Microsoft.Azure.Cosmos;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Json;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The billing store's promises about subscriptions by id and anomalies, on each store.</summary>
public abstract class BillingStoreScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync();

    protected static Subscription Sub(UserId user, string id, SubscriptionStatus status, DateTimeOffset updated, string plan = "pro", TenantId? tenant = null) =>
        new(tenant ?? Alpha, user, id, "cus_1", PlanId.Parse(plan), BillingCycle.Monthly, status, Now, Now.AddMonths(1), false, status == SubscriptionStatus.PastDue ? Now.AddDays(3) : null, updated, Now);

    protected async Task Every_subscription_is_kept_under_its_own_id_core()
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

    protected async Task An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again_core()
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

    protected async Task The_grace_listing_names_each_expired_subscription_core()
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

    protected async Task An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first_core()
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

public sealed class SqliteBillingStoreTests : BillingStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();

    [Fact]
    public Task Every_subscription_is_kept_under_its_own_id() => Every_subscription_is_kept_under_its_own_id_core();

    [Fact]
    public Task An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again() => An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again_core();

    [Fact]
    public Task The_grace_listing_names_each_expired_subscription() => The_grace_listing_names_each_expired_subscription_core();

    [Fact]
    public Task An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first() => An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first_core();

    [Fact]
    public async Task A_file_with_one_subscription_row_per_user_is_migrated_to_rows_by_subscription_id()
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "v6.db");
        var user = UserId.New();
        Microsoft.Data.Sqlite.SqliteConnection pooled;
        await using (var first = await StoreSet.SqliteAsync(path: path))
        {
            using (pooled = first.Get<Infrastructure.Sqlite.SqliteDatabase>().Open())
            {
            }
        }

        // Back to the layout before step 8: one row per user, its document without a billing anchor.
        var legacy = System.Text.Json.JsonSerializer.Serialize(SubscriptionDocument.From(Sub(user, "sub_legacy", SubscriptionStatus.PastDue, Now)), WireJson.Options)
            .Replace(",\"billing_anchor_ms\":" + Now.ToUnixTimeMilliseconds(), "", StringComparison.Ordinal);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TABLE subscriptions; DROP TABLE billing_anomalies;
                CREATE TABLE subscriptions (tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, doc TEXT NOT NULL, status TEXT NOT NULL, grace_until_ms INTEGER NULL,
                    stripe_updated_at_ms INTEGER NOT NULL, PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                INSERT INTO subscriptions VALUES ('alpha', $u, $doc, 'past_due', $grace, $updated);
                DROP TABLE schema_migrations; -- files of the user_version ladder had no migration ledger
                PRAGMA user_version = 6;
                """;
            command.Parameters.AddWithValue("$u", user.Value);
            command.Parameters.AddWithValue("$doc", legacy);
            command.Parameters.AddWithValue("$grace", Now.AddDays(3).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$updated", Now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
        await using var upgraded = await StoreSet.SqliteAsync(path: path);
        var billing = upgraded.Get<IBillingStore>();
        var migrated = await billing.GetSubscriptionAsync(Alpha, user, "sub_legacy", default);

        Assert.Equal((SubscriptionStatus.PastDue, Now, Now), (migrated!.Status, migrated.StripeUpdatedAt, migrated.BillingAnchor));
        Assert.Single(await billing.ListGraceExpiredAsync(Alpha, Now.AddDays(3), 10, default), s => s.UserId == user);
        Assert.True(await billing.SaveSubscriptionIfNewerAsync(Sub(user, "sub_second", SubscriptionStatus.Active, Now), default));
        Assert.Equal(2, (await billing.ListSubscriptionsAsync(Alpha, user, default)).Count);
        Assert.True((long)upgraded.Get<Infrastructure.Sqlite.SqliteDatabase>().Read(c => Infrastructure.Sqlite.SqliteDatabase.Scalar(c, null, "PRAGMA user_version;"))! >= 8L);
    }
}

public sealed class CosmosBillingStoreTests : BillingStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();

    [CosmosFact]
    public Task Every_subscription_is_kept_under_its_own_id() => Every_subscription_is_kept_under_its_own_id_core();

    [CosmosFact]
    public Task An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again() => An_older_state_of_one_subscription_is_refused_and_an_equal_one_stored_again_core();

    [CosmosFact]
    public Task The_grace_listing_names_each_expired_subscription() => The_grace_listing_names_each_expired_subscription_core();

    [CosmosFact]
    public Task An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first() => An_anomaly_is_recorded_once_and_listed_for_its_tenant_newest_first_core();

    private static PartitionKey UserKey(UserId user) => new PartitionKeyBuilder().Add(Alpha.Value).Add(user.Value).Build();

    [CosmosFact]
    public async Task A_legacy_per_user_subscription_document_moves_to_the_billing_container_on_first_read()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var legacy = SubscriptionDocument.From(Sub(user, "sub_legacy", SubscriptionStatus.Active, Now));
        legacy.Id = SubscriptionDocument.LegacyIdFor(user);
        var users = store.Get<CosmosDatabase>().Container(CosmosContainers.Users);
        Assert.True(await users.TryCreateAsync(legacy, UserKey(user), default));
        var billing = store.Get<IBillingStore>();

        var listed = await billing.ListSubscriptionsAsync(Alpha, user, default);

        Assert.Equal("sub_legacy", Assert.Single(listed).StripeSubscriptionId);
        Assert.Null((await users.ReadAsync<SubscriptionDocument>(SubscriptionDocument.LegacyIdFor(user), UserKey(user), default)).Document);
        Assert.NotNull(await billing.GetSubscriptionAsync(Alpha, user, "sub_legacy", default));
    }
}
