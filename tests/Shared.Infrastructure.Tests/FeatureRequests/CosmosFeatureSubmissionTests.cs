namespace Shared.Infrastructure.Tests.FeatureRequests;

[CosmosStore]
public sealed class CosmosFeatureSubmissionTests : FeatureSubmissionScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider time) => StoreSet.CosmosAsync(time);
}
