using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Tests.Wallets;

public sealed class SqliteWalletTests : WalletScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);

    protected override Task<List<long>> PseudonymousAmountsAsync(StoreSet set) =>
        Task.FromResult(set.Get<SqliteDatabase>().Read(c =>
        {
            using var command = SqliteDatabase.Command(c, null, "SELECT amount FROM wallet_entries WHERE tenant_id = $t AND user_id LIKE 'erased-%'", ("$t", Alpha.Value));
            return SqliteDatabase.ReadAll(command, r => r.GetInt64(0));
        }));
}
