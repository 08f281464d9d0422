namespace Shared.Infrastructure.Tests.Referrals;

[CosmosStore]
public sealed class CosmosReferralTests : ReferralScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
