namespace Shared.Infrastructure.Tests.Campaigns;

public sealed class SqliteCampaignTests : CampaignScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
