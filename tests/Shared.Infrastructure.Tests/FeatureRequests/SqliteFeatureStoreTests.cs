using Shared.Domain.Common;
using Shared.Domain.Features;
using Xunit;

namespace Shared.Infrastructure.Tests.FeatureRequests;

public sealed class SqliteFeatureStoreTests : FeatureStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();

    [Fact]
    public async Task A_version_5_file_gets_the_retry_columns_and_keeps_its_requests_as_round_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "v5.db");
        var user = UserId.New();
        var request = NewRequest(user, Now);
        Microsoft.Data.Sqlite.SqliteConnection pooled;
        await using (var first = await StoreSet.SqliteAsync(path: path))
        {
            Assert.True(await first.Get<IFeatureRequestStore>().TryCreateAsync(request, default));
            using (pooled = first.Get<Infrastructure.Sqlite.SqliteDatabase>().Open())
            {
            }
        }

        // Back to the version 5 layout, as a file written before this change.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE feature_requests DROP COLUMN round; ALTER TABLE feature_requests DROP COLUMN retry_budget_from_ms; ALTER TABLE feature_requests DROP COLUMN next_attempt_at_ms; DROP TABLE schema_migrations; PRAGMA user_version = 5;";
            command.ExecuteNonQuery();
        }

        // A new process would not have the first one's pooled connections, which still hold the old schema.
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
        await using var upgraded = await StoreSet.SqliteAsync(path: path);
        var read = await upgraded.Get<IFeatureRequestStore>().GetAsync(Alpha, user, request.Id, default);

        Assert.Equal((request.RequestText, 1, null, null), (read!.RequestText, read.Round, read.RetryBudgetFrom, read.NextAttemptAt));
        Assert.NotNull(await upgraded.Get<IFeatureRequestStore>().TryUpdateAsync(read with { Round = 2, NextAttemptAt = Now }, default));
        Assert.True((long)upgraded.Get<Infrastructure.Sqlite.SqliteDatabase>().Read(c => Infrastructure.Sqlite.SqliteDatabase.Scalar(c, null, "PRAGMA user_version;"))! >= 6L); // later steps may follow
    }
}
