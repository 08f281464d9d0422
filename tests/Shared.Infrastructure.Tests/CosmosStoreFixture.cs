using Xunit;

namespace Shared.Infrastructure.Tests;

public sealed class CosmosStoreFixture : IAsyncLifetime
{
    private StoreSet? _stores;

    public async Task<StoreSet> StoresAsync() => _stores ??= await StoreSet.CosmosAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }
}
