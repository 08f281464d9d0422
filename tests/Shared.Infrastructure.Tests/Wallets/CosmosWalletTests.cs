namespace Shared.Infrastructure.Tests.Wallets;

[CosmosStore]
public sealed class CosmosWalletTests : WalletScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
