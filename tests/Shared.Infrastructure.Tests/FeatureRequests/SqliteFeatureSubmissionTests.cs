namespace Shared.Infrastructure.Tests.FeatureRequests;

public sealed class SqliteFeatureSubmissionTests : FeatureSubmissionScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider time) => StoreSet.SqliteAsync(time);
}
