namespace Shared.Infrastructure.Tests.Audit;

[CosmosStore]
public sealed class CosmosAuditLogTests : AuditLogScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();
}
