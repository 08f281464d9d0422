namespace Shared.Infrastructure.Tests.Users;

[CosmosStore]
public sealed class CosmosUserPrivacyTests : UserPrivacyScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();
}
