namespace Shared.Infrastructure.Tests.Tenants;

[CosmosStore]
public sealed class CosmosTenantStoreTests : TenantStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();
}
