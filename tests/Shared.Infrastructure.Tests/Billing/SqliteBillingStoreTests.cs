using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Json;
using Xunit;

namespace Shared.Infrastructure.Tests.Billing;

public sealed class SqliteBillingStoreTests : BillingStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();

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
