namespace Shared.Infrastructure.Tests.DataSharing;

public sealed class SqliteDataSharingSaleTests : DataSharingSaleScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
