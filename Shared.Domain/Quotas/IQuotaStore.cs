using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>Quota accounts, one per user. Consumption is atomic in the store: never a read-modify-write race.</summary>
public interface IQuotaStore
{
    /// <summary>Consumes one use if one is left (see <see cref="QuotaAccount.TryConsume"/>); null when the user has no account yet.</summary>
    Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores a new account unless one exists already (then the existing one stands).</summary>
    Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken);

    Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Applies <see cref="QuotaAccount.ChangePlan"/> atomically; false when the user has no account.</summary>
    Task<bool> ChangePlanAsync(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now, CancellationToken cancellationToken);
}
