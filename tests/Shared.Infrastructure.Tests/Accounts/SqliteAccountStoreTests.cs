namespace Shared.Infrastructure.Tests.Accounts;

public sealed class SqliteAccountStoreTests : AccountStoreScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
