using Xunit;

namespace Shared.Infrastructure.Tests;

public sealed class SqliteStoreFixture : IAsyncLifetime
{
    public StoreSet Stores { get; private set; } = null!;

    public async Task InitializeAsync() => Stores = await StoreSet.SqliteAsync();

    public async Task DisposeAsync() => await Stores.DisposeAsync();
}
