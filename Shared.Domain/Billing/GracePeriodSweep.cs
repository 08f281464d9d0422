using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// The grace-period sweep (run by a timer): past-due subscriptions whose grace ended fall back to the free plan and
/// are marked suspended; a later paid invoice restores the plan. Safe to rerun: a suspended subscription is not
/// listed again, and the plan change is a no-op when repeated.
/// </summary>
public sealed class GracePeriodSweep(IBillingStore billing, IQuotaStore quotas, TimeProvider time)
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
                var plan = tenant.DefaultPlan;
                await quotas.ChangePlanAsync(tenant.Id, subscription.UserId, plan.Id, plan.Allowance, now, now, cancellationToken);
                if (await billing.SaveSubscriptionIfNewerAsync(subscription with { Status = SubscriptionStatus.Suspended }, cancellationToken))
                {
                    suspended++;
                }
            }
        }
        while (batch.Count == BatchSize);

        return suspended;
    }
}
