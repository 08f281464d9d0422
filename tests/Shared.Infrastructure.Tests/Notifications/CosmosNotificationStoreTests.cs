namespace Shared.Infrastructure.Tests.Notifications;

[CosmosStore]
public sealed class CosmosNotificationStoreTests : NotificationStoreScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
