namespace Shared.Infrastructure.Tests.Wallets;

public sealed class SqliteWalletTests : WalletScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
