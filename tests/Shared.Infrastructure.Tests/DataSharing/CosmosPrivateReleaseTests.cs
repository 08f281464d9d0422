namespace Shared.Infrastructure.Tests.DataSharing;

[CosmosStore]
public sealed class CosmosPrivateReleaseTests : PrivateReleaseScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
