using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Quotas;

/// <summary>
/// The quota reset sweep (a timer). Identify is exact at a period boundary on its own; this keeps stored counters and
/// the usage history current for users who have not come back: each account whose period ended is moved to the
/// current period and the ended period's total is archived once. Accounts it has done no longer match, so a rerun,
/// or a restart in the middle of a batch, carries on with the rest and changes nothing twice.
/// </summary>
public sealed class QuotaResetSweep(IQuotaStore quotas, TimeProvider time)
{
    public async Task<int> RunAsync(Tenant tenant, int batchSize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rolled = 0;
        UserId? after = null;
        while (true)
        {
            var batch = await quotas.ListEndedPeriodsAsync(tenant.Id, now, after, batchSize, cancellationToken);
            foreach (var userId in batch)
            {
                rolled += await quotas.RollOverAsync(tenant.Id, userId, now, cancellationToken) is null ? 0 : 1;
            }

            if (batch.Count < batchSize)
            {
                return rolled;
            }

            after = batch[^1];
        }
    }
}
