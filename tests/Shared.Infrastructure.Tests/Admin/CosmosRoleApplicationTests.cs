namespace Shared.Infrastructure.Tests.Admin;

[CosmosStore]
public sealed class CosmosRoleApplicationTests : RoleApplicationScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
