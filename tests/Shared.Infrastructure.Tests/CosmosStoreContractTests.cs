using Xunit;

namespace Shared.Infrastructure.Tests;

[CosmosStore]
public sealed class CosmosStoreContractTests(CosmosStoreFixture fixture) : StoreContractTests, IClassFixture<CosmosStoreFixture>
{
    protected override Task<StoreSet> StoresAsync() => fixture.StoresAsync();
}
