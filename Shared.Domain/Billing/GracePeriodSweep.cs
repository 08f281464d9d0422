using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// The grace-period sweep (run by a timer), per subscription: a past-due subscription whose grace ended is marked
/// suspended and stops granting its plan; the user's plan is then what their other subscriptions give (the default plan
/// if none). A later paid invoice restores it. The plan is changed before the suspension is stored, so a stop between
/// the two leaves the subscription listed and the next run finishes it; a suspended subscription is not listed again.
/// </summary>
public sealed class GracePeriodSweep(IBillingStore billing, UserPlanSync plans, TimeProvider time)
{
    public const int BatchSize = 100;

    public async Task<int> RunAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var suspended = 0;
        IReadOnlyList<Subscription> batch;
        do
        {
            batch = await billing.ListGraceExpiredAsync(tenant.Id, now, BatchSize, cancellationToken);
            foreach (var subscription in batch)
            {
                var suspension = subscription.Suspend();
                await plans.SyncAsync(tenant, subscription.UserId, now, suspension, cancellationToken);
                if (await billing.SaveSubscriptionIfNewerAsync(suspension, cancellationToken))
                {
                    suspended++;
                }

                // Confirms against what is stored now (an event may have changed another subscription meanwhile).
                await plans.SyncAsync(tenant, subscription.UserId, now, null, cancellationToken);
            }
        }
        while (batch.Count == BatchSize);

        return suspended;
    }
}
