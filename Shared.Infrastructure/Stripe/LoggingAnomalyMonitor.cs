using Microsoft.Extensions.Logging;
using Shared.Domain.Billing;
using Shared.Infrastructure.Diagnostics;

namespace Shared.Infrastructure.Stripe;

/// <summary>Each newly recorded billing anomaly: a warning in the logs and one count of <c>billing.anomalies</c> (tenant, reason).</summary>
public sealed class LoggingAnomalyMonitor(BackendMetrics metrics, ILogger<LoggingAnomalyMonitor> logger) : IBillingAnomalyMonitor
{
    public void Detected(BillingAnomaly anomaly)
    {
        metrics.BillingAnomaly(anomaly.TenantId.Value, anomaly.Reason);
        logger.LogWarning("Billing anomaly {Reason} for user {UserId} of tenant {TenantId}: {Detail}", anomaly.Reason, anomaly.UserId, anomaly.TenantId, anomaly.Detail);
    }
}
