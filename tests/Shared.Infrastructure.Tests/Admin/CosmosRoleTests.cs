namespace Shared.Infrastructure.Tests.Admin;

[CosmosStore]
public sealed class CosmosRoleTests : RoleScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
