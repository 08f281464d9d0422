using Xunit;

namespace Shared.Infrastructure.Tests;

// One test per contract case and store; the cases live in StoreContractTests.

public sealed class SqliteStoreContractTests(SqliteStoreFixture fixture) : StoreContractTests, IClassFixture<SqliteStoreFixture>
{
    protected override Task<StoreSet> StoresAsync() => Task.FromResult(fixture.Stores);
}
