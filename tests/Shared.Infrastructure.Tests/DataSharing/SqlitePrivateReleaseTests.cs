namespace Shared.Infrastructure.Tests.DataSharing;

public sealed class SqlitePrivateReleaseTests : PrivateReleaseScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
