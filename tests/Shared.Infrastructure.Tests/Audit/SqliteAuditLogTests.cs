namespace Shared.Infrastructure.Tests.Audit;

public sealed class SqliteAuditLogTests : AuditLogScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();
}
