using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>
/// The stored facts admin metrics are computed from, read across one tenant's users (the billing, users, usage and
/// feature-request stores' own records, never a counter kept for the metrics). Admin-only reads: each scans what it
/// names in the tenant, so its cost grows with the tenant's history (see the README's limits).
/// </summary>
public interface IAdminMetricsSource
{
    /// <summary>Every subscription of the tenant (every status, lifetime purchases included), in its latest stored state.</summary>
    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>The tenant's payments at or before <paramref name="atOrBefore"/> that name a subscription (invoices), any status.</summary>
    Task<IReadOnlyList<PaymentRecord>> ListSubscriptionPaymentsAsync(TenantId tenantId, DateTimeOffset atOrBefore, CancellationToken cancellationToken);

    /// <summary>How many of the tenant's stored users were created in [from, to).</summary>
    Task<int> CountUsersCreatedAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Usage-log records whose outcome consumed a use (allowed), counted per UTC day, in [from, to); days without any are absent.</summary>
    Task<IReadOnlyDictionary<DateOnly, int>> CountUsesPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Feature (AI) requests created in [from, to), counted per UTC day of their creation; days without any are absent.</summary>
    Task<IReadOnlyDictionary<DateOnly, int>> CountAiRequestsPerDayAsync(TenantId tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
