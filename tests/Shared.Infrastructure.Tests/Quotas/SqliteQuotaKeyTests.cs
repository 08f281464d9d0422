namespace Shared.Infrastructure.Tests.Quotas;

public sealed class SqliteQuotaKeyTests : QuotaKeyScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();
}
