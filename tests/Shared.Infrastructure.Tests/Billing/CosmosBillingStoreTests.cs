using Microsoft.Azure.Cosmos;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Billing;
using Shared.Infrastructure.Cosmos;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Billing;

[CosmosStore]
public sealed class CosmosBillingStoreTests : BillingStoreScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();

    private static PartitionKey UserKey(UserId user) => new PartitionKeyBuilder().Add(Alpha.Value).Add(user.Value).Build();

    [CosmosFact]
    public async Task A_legacy_per_user_subscription_document_moves_to_the_billing_container_on_first_read()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var legacy = SubscriptionDocument.From(Sub(user, "sub_legacy", SubscriptionStatus.Active, Now));
        legacy.Id = SubscriptionDocument.LegacyIdFor(user);
        var users = store.Get<CosmosDatabase>().Container(CosmosContainers.Users);
        Assert.True(await users.TryCreateAsync(legacy, UserKey(user), default));
        var billing = store.Get<IBillingStore>();

        var listed = await billing.ListSubscriptionsAsync(Alpha, user, default);

        Assert.Equal("sub_legacy", Assert.Single(listed).StripeSubscriptionId);
        Assert.Null((await users.ReadAsync<SubscriptionDocument>(SubscriptionDocument.LegacyIdFor(user), UserKey(user), default)).Document);
        Assert.NotNull(await billing.GetSubscriptionAsync(Alpha, user, "sub_legacy", default));
    }
}
