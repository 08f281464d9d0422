namespace Shared.Infrastructure.Tests.Accounts;

[CosmosStore]
public sealed class CosmosAccountStoreTests : AccountStoreScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
