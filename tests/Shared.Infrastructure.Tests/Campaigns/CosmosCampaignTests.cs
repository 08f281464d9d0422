namespace Shared.Infrastructure.Tests.Campaigns;

[CosmosStore]
public sealed class CosmosCampaignTests : CampaignScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
