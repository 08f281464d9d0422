namespace Shared.Infrastructure.Tests.Tenants;

public sealed class SqliteTenantStoreTests : TenantStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();
}
