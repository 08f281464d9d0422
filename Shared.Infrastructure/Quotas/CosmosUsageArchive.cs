using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Quotas;

/// <summary>
/// Reads the <c>usage_archive</c> documents <see cref="CosmosQuotaStore.RollOverAsync"/> writes with each reset (in the
/// user's partition of <c>users</c>, beside the account; written before the reset under an id that is the period, so
/// it is created once however often a roll-over runs).
/// </summary>
public sealed class CosmosUsageArchive(CosmosDatabase db) : IUsageArchive
{
    private readonly Container _container = db.Container(CosmosContainers.Users);

    public async Task<IReadOnlyList<UsageArchiveEntry>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var documents = await CosmosQueries.ListAsync<UsageArchiveDocument>(_container, new QueryDefinition("SELECT * FROM c WHERE c.type = 'usage_archive'"), Keys.User(tenantId, userId), cancellationToken);
        return [.. documents
            .Select(doc => new UsageArchiveEntry(tenantId, userId, PlanId.Parse(doc.PlanId), new UsagePeriod(DateTimeOffset.FromUnixTimeMilliseconds(doc.PeriodStartMs), DateTimeOffset.FromUnixTimeMilliseconds(doc.PeriodEndMs)), doc.Used))
            .OrderBy(e => e.Period.Start)];
    }
}
