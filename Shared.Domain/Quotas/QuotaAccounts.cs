using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Quotas;

/// <summary>Reserving a use (opening the user's quota account first where they have none yet) and the refusals a reservation answers.</summary>
public static class QuotaAccounts
{
    /// <summary>Reserves a use under <paramref name="key"/>; a user without a quota account gets one on the free plan first (<see cref="OpenOnFreePlanAndReserveAsync"/>).</summary>
    public static async Task<ReserveOutcome?> ReserveAsync(IQuotaStore quotas, Tenant tenant, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quotas);
        ArgumentNullException.ThrowIfNull(tenant);
        return await quotas.TryReserveAsync(tenant.Id, userId, key, limit, now, cancellationToken)
            ?? await OpenOnFreePlanAndReserveAsync(quotas, tenant, userId, key, limit, now, cancellationToken);
    }

    /// <summary>
    /// The refusal a reservation stands for, or null when a use is held: <c>user_not_found</c> (no quota account),
    /// 429 <c>quota_exceeded</c> (none left this period) or 429 <c>too_many_pending</c> (with <paramref name="tooManyPendingDetail"/>).
    /// </summary>
    public static Error? Refusal(ReserveOutcome? outcome, string tooManyPendingDetail) => outcome switch
    {
        null => Error.NotFound("user_not_found", "No such user in this tenant."),
        { Kind: ReserveKind.QuotaExceeded } => new Error(ErrorKind.TooManyRequests, "quota_exceeded", $"No uses left in this period; it resets at {outcome.Status.Period.End:O}."),
        { Kind: ReserveKind.TooManyPending } => new Error(ErrorKind.TooManyRequests, "too_many_pending", tooManyPendingDetail),
        _ => null,
    };

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
