namespace Shared.Infrastructure.Tests.Notifications;

public sealed class SqliteNotificationStoreTests : NotificationStoreScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
