using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>Where anonymized aggregates are kept: apart from user data (its own container or table).</summary>
public interface IInsightStore
{
    Task<bool> IsDayDoneAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Stores the day's rows and marks the day done; rows have deterministic ids, so repeating a half-done save converges.</summary>
    Task SaveDayAsync(TenantId tenantId, DateOnly day, IReadOnlyList<InsightRow> rows, CancellationToken cancellationToken);

    Task<IReadOnlyList<InsightRow>> ListAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);
}
