using Microsoft.Extensions.Logging;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Health of the app's store, shared by both apps' health endpoints (and the workers' HTTP health function): while the
/// start-up check has not succeeded, 503 <c>store_not_ready</c> with the problems it found (missing or mismatched
/// containers, an unreachable store); once ready, a live round trip to the store (503 <c>store_unavailable</c> if it fails).
/// </summary>
public sealed class StoreHealth(StoreReadiness readiness, IStoreLifecycle store, TimeProvider time, ILogger<StoreHealth> logger)
{
    public async Task<StoreHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var status = readiness.Status;
        if (status.State != StoreState.Ready)
        {
            return new StoreHealthReport(503, StoreHealthReport.NotReadyCode, status.Describe(), readiness.RetryAfter(time.GetUtcNow()));
        }

        try
        {
            if (await store.IsHealthyAsync(cancellationToken))
            {
                return new StoreHealthReport(200, null, "ok", null);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The store did not answer the health check");
        }

        return new StoreHealthReport(503, StoreHealthReport.UnavailableCode, "The store did not answer.", TimeSpan.FromSeconds(1));
    }
}
