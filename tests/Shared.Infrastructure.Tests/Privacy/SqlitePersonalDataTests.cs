namespace Shared.Infrastructure.Tests.Privacy;

public sealed class SqlitePersonalDataTests : PersonalDataScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();
}
