namespace Shared.Infrastructure.Tests.Admin;

public sealed class SqliteRoleTests : RoleScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
