namespace Shared.Infrastructure.Tests.Admin;

public sealed class SqliteRoleApplicationTests : RoleApplicationScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
