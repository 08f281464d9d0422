using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Tenants;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// At start-up: prepare and verify the store (<see cref="IStoreLifecycle.InitializeAsync"/>), then write the configured
/// tenants into it. This runs in the background: start-up waits for the first check at most
/// <see cref="StoreStartupOptions.WaitBeforeListening"/>, then the server listens whatever the store does. A failed check
/// (containers missing or mismatched, store unreachable, seeding failed) is logged as an error, reported by
/// <see cref="StoreReadiness"/> and repeated after a doubling delay (capped), until the store is ready.
/// </summary>
internal sealed class StoreInitializer(
    IStoreLifecycle lifecycle,
    ITenantStore tenants,
    ConfiguredTenants configured,
    StoreReadiness readiness,
    StoreStartupOptions options,
    TimeProvider time,
    ILogger<StoreInitializer> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken); // starts RunAsync in the background
        if (options.WaitBeforeListening <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            // A healthy store is usually ready within this wait, so the first requests find it ready.
            await readiness.FirstCheck.WaitAsync(options.WaitBeforeListening, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The first store check did not finish within {Wait}; listening anyway (health answers 503 until the store is ready)", options.WaitBeforeListening);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);

    /// <summary>Checks until the store is ready or the app stops.</summary>
    internal async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = options.FirstRetryDelay;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (problems, failure) = await AttemptAsync(stoppingToken);
                var now = time.GetUtcNow();
                if (problems.Count == 0)
                {
                    readiness.Report(new StoreStatus(StoreState.Ready, [], attempt, now, null));
                    logger.LogInformation("Store ready (check {Attempt})", attempt);
                    return;
                }

                readiness.Report(new StoreStatus(StoreState.NotReady, problems, attempt, now, now + delay));
                logger.LogError(failure, "Store not ready (check {Attempt}); next check in {Delay}: {Problems}", attempt, delay, string.Join("; ", problems));
                await Task.Delay(delay, time, stoppingToken);
                delay = options.NextDelay(delay);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; whatever the check was doing (or how the store failed meanwhile) no longer matters.
        }
    }

    private async Task<(IReadOnlyList<string> Problems, Exception? Failure)> AttemptAsync(CancellationToken stoppingToken)
    {
        try
        {
            var check = await lifecycle.InitializeAsync(stoppingToken);
            if (!check.IsReady)
            {
                return (check.Problems, null);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            return ([StoreFailures.Describe(e)], e);
        }

        try
        {
            await TenantCatalog.SeedAsync(tenants, configured.Tenants, logger, stoppingToken);
            return ([], null);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            return ([$"seeding the configured tenants failed: {StoreFailures.Describe(e)}"], e);
        }
    }
}
