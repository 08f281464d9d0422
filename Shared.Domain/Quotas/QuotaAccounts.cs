using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Quotas;

/// <summary>Opening a user's quota account where a use is asked of a user who has none yet.</summary>
public static class QuotaAccounts
{
    /// <summary>
    /// A user who signed up on the website (or by phone) and never used the extension has no quota account: identify
    /// opens it at the first use. An authenticated request that spends a use (a feature request, a generation) opens it
    /// the same way, on the tenant's free plan (a paid subscription opens or changes it through the billing webhook),
    /// then reserves. Opening is create-if-missing, so concurrent first requests open one account.
    /// </summary>
    public static async Task<ReserveOutcome?> OpenOnFreePlanAndReserveAsync(IQuotaStore quotas, Tenant tenant, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plan = tenant.DefaultPlan;
        await quotas.CreateIfMissingAsync(QuotaAccount.Open(tenant.Id, userId, plan.Id, plan.Allowance, now, now), cancellationToken);
        return await quotas.TryReserveAsync(tenant.Id, userId, key, limit, now, cancellationToken);
    }
}
