using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>Quota accounts, one per user. Consumption is atomic in the store: never a read-modify-write race.</summary>
public interface IQuotaStore
{
    /// <summary>Consumes one use if one is left (see <see cref="QuotaAccount.TryConsume"/>; identify keys only); null when the user has no account yet.</summary>
    Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <see cref="QuotaAccount.TryReserve"/> atomically (reservation keys only): the in-flight count and the use
    /// are checked and taken in one conditional write, so parallel reservations never exceed either. Null when the user
    /// has no account.
    /// </summary>
    Task<ReserveOutcome?> TryReserveAsync(TenantId tenantId, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies <see cref="QuotaAccount.Settle"/> (the job succeeded: the use is kept, the reservation leaves the in-flight count).</summary>
    Task<bool> SettleAsync(TenantId tenantId, UserId userId, RequestKey key, CancellationToken cancellationToken);

    /// <summary>Stores a new account unless one exists already (then the existing one stands).</summary>
    Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken);

    Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Applies <see cref="QuotaAccount.ChangePlan"/> atomically; false when the user has no account.</summary>
    Task<bool> ChangePlanAsync(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies <see cref="QuotaAccount.Release"/> atomically (gives a reserved use back, at most once).</summary>
    Task<ReleaseOutcome> ReleaseAsync(TenantId tenantId, UserId userId, RequestKey key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Users of the tenant whose stored period ended at or before <paramref name="now"/>, by user id, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<UserId>> ListEndedPeriodsAsync(TenantId tenantId, DateTimeOffset now, UserId? after, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <see cref="QuotaAccount.RollOver"/> and archives the ended period's total in the same atomic step (once
    /// per period, however often this runs; read back through <see cref="IUsageArchive"/>); null when the account's
    /// period is current.
    /// </summary>
    Task<UsageArchiveEntry?> RollOverAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies <see cref="QuotaAccount.Grant"/> atomically: false when that grant was applied before or the user has no account.</summary>
    Task<bool> GrantBonusAsync(TenantId tenantId, UserId userId, string grantKey, int uses, CancellationToken cancellationToken);
}
