namespace Shared.Infrastructure.Tests.Users;

public sealed class SqliteUserPrivacyTests : UserPrivacyScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.SqliteAsync();
}
