using Shared.Domain.Common;
using Shared.Domain.Usage;

namespace Shared.Domain.Privacy;

/// <summary>
/// The data half of an erasure: every feature erases what it stores under the user (<see cref="IPersonalDataStore"/>,
/// in section order) and in-memory caches forget them (<see cref="IErasureListener"/>). Used by <see cref="EraseUser"/>
/// and by a request that finds the tombstone after it wrote (a write racing the erasure), to remove its own trace.
/// </summary>
public sealed class EraseUserData(IEnumerable<IPersonalDataStore> stores, IEnumerable<IErasureListener> listeners, IUsageLog usageLog)
{
    /// <summary>The number of records removed or de-identified; 0 when nothing was left.</summary>
    public async Task<int> HandleAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        Forget(tenantId, userId);

        // Usage records are queued in memory and written in batches: one queued before the tombstone must be written
        // now, before the loop erases, not after it. (Another instance's queue is not reached from here: see README.)
        await usageLog.FlushAsync(cancellationToken);
        var erased = 0;
        foreach (var store in stores.OrderBy(s => s.Section, StringComparer.Ordinal))
        {
            erased += await store.EraseAsync(tenantId, userId, cancellationToken);
        }

        // Again after the stores: a cache filled by a read that ran during the loop must not outlive it.
        Forget(tenantId, userId);
        return erased;
    }

    private void Forget(TenantId tenantId, UserId userId)
    {
        foreach (var listener in listeners)
        {
            listener.OnErased(tenantId, userId);
        }
    }
}
