using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// Makes a user's quota plan the one their stored subscriptions give (<see cref="PlanSelection"/>), and records a
/// billing anomaly for every pair of subscriptions that both grant a plan. Safe to run any number of times: it only
/// writes when the quota's plan differs from the derived one, so every billing write is followed by a sync that
/// completes whatever an earlier, interrupted attempt left undone. It reads again after its own write and repeats
/// until stable, so two syncs racing for the same user end on the plan of the final stored subscriptions.
/// </summary>
public sealed class UserPlanSync(IBillingStore billing, IQuotaStore quotas, IBillingAnomalyMonitor monitor, TimeProvider time)
{
    private const int MaxRounds = 5;

    /// <param name="tenant">The user's tenant (its plans rank the subscriptions).</param>
    /// <param name="userId">The user.</param>
    /// <param name="defaultAnchor">Where the default plan's periods start if the user falls back to it now.</param>
    /// <param name="pending">A state about to be stored, counted in place of the stored one with its id (the grace sweep
    /// changes the plan before it stores the suspension, so a stop between the two is finished by its next run).</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    public async Task<PlanChoice> SyncAsync(Tenant tenant, UserId userId, DateTimeOffset defaultAnchor, Subscription? pending, CancellationToken cancellationToken)
    {
        PlanChoice choice = new(tenant.DefaultPlan, null);
        for (var round = 0; round < MaxRounds; round++)
        {
            var subscriptions = await billing.ListSubscriptionsAsync(tenant.Id, userId, cancellationToken);
            if (pending is not null)
            {
                subscriptions = [.. subscriptions.Where(s => s.StripeSubscriptionId != pending.StripeSubscriptionId), pending];
            }

            if (round == 0)
            {
                await RecordAnomaliesAsync(tenant, userId, subscriptions, cancellationToken);
            }

            choice = PlanSelection.Best(tenant, subscriptions);
            if (!await ApplyAsync(tenant, userId, choice, defaultAnchor, cancellationToken))
            {
                return choice;
            }
        }

        return choice;
    }

    /// <summary>True when it wrote (so the caller reads again to confirm).</summary>
    private async Task<bool> ApplyAsync(Tenant tenant, UserId userId, PlanChoice choice, DateTimeOffset defaultAnchor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var plan = choice.Plan;
        var anchor = choice.Source?.BillingAnchor ?? defaultAnchor;
        var account = await quotas.GetAsync(tenant.Id, userId, cancellationToken);
        if (account is null)
        {
            if (choice.Source is null)
            {
                return false; // nothing paid: the account is opened on the default plan at the user's first identify
            }

            // Paid before ever using the extension: open the account directly on the paid plan.
            await quotas.CreateIfMissingAsync(QuotaAccount.Open(tenant.Id, userId, plan.Id, plan.Allowance, anchor, now), cancellationToken);
            return true;
        }

        // The default plan keeps whatever anchor it has; a paid plan follows its subscription's anchor.
        if (account.PlanId == plan.Id && account.Allowance == plan.Allowance && (choice.Source is null || account.Anchor == anchor))
        {
            return false;
        }

        await quotas.ChangePlanAsync(tenant.Id, userId, plan.Id, plan.Allowance, anchor, now, cancellationToken);
        return true;
    }

    private async Task RecordAnomaliesAsync(Tenant tenant, UserId userId, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var granting = subscriptions.Where(s => s.GrantsPlan).OrderBy(s => s.StripeSubscriptionId, StringComparer.Ordinal).ToList();
        for (var i = 0; i < granting.Count; i++)
        {
            for (var j = i + 1; j < granting.Count; j++)
            {
                var (a, b) = (granting[i], granting[j]);
                var anomaly = new BillingAnomaly(
                    tenant.Id,
                    userId,
                    $"{BillingAnomaly.SecondActiveSubscription}:{a.StripeSubscriptionId}:{b.StripeSubscriptionId}",
                    BillingAnomaly.SecondActiveSubscription,
                    [a.StripeSubscriptionId, b.StripeSubscriptionId],
                    time.GetUtcNow(),
                    $"Subscriptions {Describe(a)} and {Describe(b)} both grant a plan: the user is billed for both and keeps the better one.");
                if (await billing.RecordAnomalyAsync(anomaly, cancellationToken))
                {
                    monitor.Detected(anomaly);
                }
            }
        }
    }

    private static string Describe(Subscription s) => $"{s.StripeSubscriptionId} ({s.PlanId}, {BillingText.Format(s.Cycle)}, {BillingText.Format(s.Status)})";
}
