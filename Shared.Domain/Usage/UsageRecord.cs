using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Usage;

/// <summary>One identify call as analytics sees it. The quota counter, not this log, is what limits use.</summary>
public sealed record UsageRecord(TenantId TenantId, UserId UserId, string ActionType, ConsumeKind Outcome, DateTimeOffset At);

/// <summary>Accepts usage records without blocking the caller; they are written in batches.</summary>
public interface IUsageLog
{
    void Record(UsageRecord record);
}

public interface IUsageLogStore
{
    Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken);

    /// <summary>The user's records in [from, to), oldest first.</summary>
    Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
