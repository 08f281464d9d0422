namespace Shared.Infrastructure.Tests.Privacy;

[CosmosStore]
public sealed class CosmosPersonalDataTests : PersonalDataScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();
}
