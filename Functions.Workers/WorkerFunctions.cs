using Functions.Workers.Invocation;
using Shared.Domain.Ai;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Jobs;

namespace Functions.Workers;

/// <summary>
/// The workers' functions, one POST endpoint per function name as the Functions host calls them (and the local
/// trigger loop, with the same payloads). 2xx = done (also when the job scheduled its own retry for later); any other
/// status makes the host redeliver the message at once and finally dead-letter it, or log the timer run as failed.
/// </summary>
public static class WorkerFunctions
{
    public const string GenerateFeaturePriority = "GenerateFeaturePriority";
    public const string GenerateFeatureStandard = "GenerateFeatureStandard";
    public const string FeatureRequestSweep = "FeatureRequestSweep";
    public const string QuotaResetSweep = "QuotaResetSweep";
    public const string NightlyAnonymization = "NightlyAnonymization";
    public const string NightlyPrivateRelease = "NightlyPrivateRelease";
    public const string GracePeriodSweep = "GracePeriodSweep";
    public const string ReferralPerks = "ReferralPerks";

    /// <summary>The binding name of the Service Bus trigger in function.json.</summary>
    public const string MessageBinding = "message";

    public const int MaxInvocationBytes = 1024 * 1024;

    public static void MapWorkerFunctions(this WebApplication app)
    {
        app.MapPost($"/{GenerateFeaturePriority}", GenerateAsync);
        app.MapPost($"/{GenerateFeatureStandard}", GenerateAsync);
        app.MapPost($"/{FeatureRequestSweep}", (HttpContext http, FeatureSweep sweep, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, FeatureRequestSweep, tenants, async tenant => (await sweep.RunAsync(tenant, ct)).ToString()));
        app.MapPost($"/{QuotaResetSweep}", (HttpContext http, QuotaResetSweep sweep, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, QuotaResetSweep, tenants, async tenant => $"{await sweep.RunAsync(tenant, 200, ct)} accounts rolled over"));
        app.MapPost($"/{NightlyAnonymization}", (HttpContext http, NightlyAnonymization job, ITenantStore tenants, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, NightlyAnonymization, tenants, async tenant =>
            {
                var yesterday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1);
                return (await job.RunAsync(tenant, yesterday, ct)).ToString();
            }));
        app.MapPost($"/{NightlyPrivateRelease}", (HttpContext http, PrivateReleaseJob job, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, NightlyPrivateRelease, tenants, async tenant =>
            {
                // A day already released or a spent monthly budget is an expected refusal, reported, not a failed run.
                var result = await job.RunNightlyAsync(tenant.Id, ct);
                return result.IsSuccess ? result.Value.ToString() : $"not released: {result.Error!.Code} ({result.Error.Detail})";
            }));
        app.MapPost($"/{ReferralPerks}", (HttpContext http, ReferralPerkSweep sweep, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, ReferralPerks, tenants, async tenant => $"{await sweep.RunAsync(tenant, ct)} perks granted"));
        app.MapPost($"/{GracePeriodSweep}", (HttpContext http, GracePeriodSweep sweep, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, GracePeriodSweep, tenants, async tenant => $"{await sweep.RunAsync(tenant, ct)} subscriptions suspended"));
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, FeatureJobProcessor processor, BackendMetrics metrics, JobQueueOptions queueOptions, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var function = http.Request.Path.Value!.TrimStart('/');
        var logger = logs.CreateLogger(function);
        var (invocation, tooLarge) = await InvocationReader.ReadAsync(http, cancellationToken);
        if (tooLarge)
        {
            return InvocationReader.TooLarge();
        }

        if (invocation?.Data is null)
        {
            return Results.Json(InvocationResponse.WithLogs("The invocation payload is not valid JSON of the host's shape."), statusCode: StatusCodes.Status400BadRequest);
        }

        var body = invocation.MessageBody(MessageBinding);
        var messageId = invocation.MetadataString("MessageId");
        var deliveryCount = invocation.MetadataInt("DeliveryCount") ?? 1;
        if (!FeatureJob.TryParse(body, out var job))
        {
            // Retrying cannot fix it: the queue dead-letters it after its deliveries, where it can be inspected.
            logger.LogError("Message {MessageId} is not a feature job", messageId);
            return Results.Json(InvocationResponse.WithLogs($"Message {messageId} is not a feature job."), statusCode: StatusCodes.Status400BadRequest);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = job!.TenantId.Value, ["CorrelationId"] = job.RequestId, ["MessageId"] = messageId });
        Telemetry.Tag("tenant.id", job.TenantId.Value);
        Telemetry.Tag("correlation.id", job.RequestId);
        Telemetry.Tag("messaging.message.id", messageId);
        Telemetry.Tag("messaging.delivery_count", deliveryCount);
        Telemetry.Tag("job.round", job.Round);
        var started = time.GetTimestamp();
        JobResult result;
        try
        {
            result = await processor.ProcessAsync(job, cancellationToken);
        }
        catch (Exception e) when (BackendServices.IsTransientStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            // The store (or the queue) could not be reached. The host would redeliver at once and use up the message's
            // deliveries in seconds, so the message comes back later by itself; past that budget, the host's way.
            result = await processor.RetryWhenStoreIsBackAsync(QueueOf(function), job, e, cancellationToken) ?? new JobResult(JobOutcome.Retry, e);
        }

        var outcome = result.Outcome.ToString().ToLowerInvariant();
        metrics.Job(function, job.TenantId.Value, outcome, time.GetElapsedTime(started));
        if (result.Outcome is JobOutcome.Rescheduled or JobOutcome.Deferred)
        {
            var reason = result.Outcome == JobOutcome.Deferred ? "rate_limit" : result.Cause is AiProviderException ? "provider" : "store";
            Telemetry.Tag("job.rescheduled", reason);
            metrics.Rescheduled(function, job.TenantId.Value, reason);
            logger.LogWarning(result.Cause, "Feature request {RequestId}: round {Round} {Outcome} ({Reason}); next attempt at {NextAttemptAt:O}", job.RequestId, job.Round, outcome, reason, result.NextAttemptAt);
            return Results.Json(new InvocationResponse([], [$"{job.RequestId}: {outcome} ({reason}), next attempt at {result.NextAttemptAt:O}"], outcome));
        }

        if (result.Succeeded)
        {
            if (result.Outcome == JobOutcome.FailedFinally)
            {
                logger.LogError(result.Cause, "Feature request {RequestId} failed for good in round {Round}; its use was given back", job.RequestId, job.Round);
            }
            else
            {
                logger.LogInformation("Feature request {RequestId}: {Outcome} (round {Round}, delivery {DeliveryCount})", job.RequestId, outcome, job.Round, deliveryCount);
            }

            return Results.Json(new InvocationResponse([], [$"{job.RequestId}: {outcome}"], outcome));
        }

        // The host redelivers at once (it ignores Retry-After from a custom handler) and dead-letters after the queue's maximum.
        if (deliveryCount >= queueOptions.MaxDeliveries)
        {
            metrics.DeadLetter(function, job.TenantId.Value);
        }

        logger.LogWarning(result.Cause, "Feature request {RequestId}: delivery {DeliveryCount} failed ({Outcome})", job.RequestId, deliveryCount, outcome);
        return Results.Json(InvocationResponse.WithLogs($"{job.RequestId}: delivery {deliveryCount} failed: {result.Cause?.Message}"), statusCode: StatusCodes.Status500InternalServerError);
    }

    /// <summary>The queue each generation function is triggered by (its function.json; a layout test checks they agree).</summary>
    private static string QueueOf(string function) => function == GenerateFeaturePriority ? QueueNames.AiGenerationPriority : QueueNames.AiGenerationStandard;

    /// <summary>Tenants read per page when a timer job walks the store.</summary>
    public const int TenantPageSize = 100;

    /// <summary>
    /// Runs a timer job for every tenant the STORE holds (not only those of the configuration file: a tenant added to the
    /// store later is swept too), a page at a time by tenant id.
    /// </summary>
    internal static async Task<IResult> TimerAsync(HttpContext http, ILoggerFactory logs, string function, ITenantStore tenants, Func<Shared.Domain.Tenants.Tenant, Task<string>> run)
    {
        var logger = logs.CreateLogger(function);
        var (invocation, tooLarge) = await InvocationReader.ReadAsync(http, http.RequestAborted);
        if (tooLarge)
        {
            return InvocationReader.TooLarge();
        }

        if (invocation?.Data is null)
        {
            return Results.Json(InvocationResponse.WithLogs("The invocation payload is not valid JSON of the host's shape."), statusCode: StatusCodes.Status400BadRequest);
        }

        var lines = new List<string>();
        var failed = false;
        // Every page is bounded by the store: the loop ends at the first short page (or a failure to read one).
        TenantId? after = null;
        while (true)
        {
            IReadOnlyList<Shared.Domain.Tenants.Tenant> page;
            try
            {
                page = await tenants.ListAsync(after, TenantPageSize, http.RequestAborted);
            }
            catch (Exception e) when (!http.RequestAborted.IsCancellationRequested) // store timeouts are OperationCanceledExceptions too
            {
                failed = true;
                logger.LogError(e, "{Function} could not list the tenants after {TenantId}", function, after?.Value);
                lines.Add($"listing the tenants after {after?.Value ?? "the start"} failed: {e.Message}");
                break;
            }

            foreach (var tenant in page)
            {
                failed |= !await RunTenantAsync(tenant);
            }

            if (page.Count < TenantPageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        return Results.Json(new InvocationResponse([], lines, null), statusCode: failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);

        async Task<bool> RunTenantAsync(Shared.Domain.Tenants.Tenant tenant)
        {
            // One tenant's failure does not stop the others; the run is reported failed and the next run retries it.
            var correlation = Guid.NewGuid().ToString("N");
            using var scope = logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = tenant.Id.Value, ["CorrelationId"] = correlation });
            using var span = Telemetry.Source.StartActivity($"{function} {tenant.Id}");
            span?.SetTag("tenant.id", tenant.Id.Value);
            span?.SetTag("correlation.id", correlation);
            try
            {
                var summary = await run(tenant);
                logger.LogInformation("{Function} for tenant {TenantId}: {Summary}", function, tenant.Id, summary);
                lines.Add($"{tenant.Id}: {summary}");
                return true;
            }
            catch (Exception e) when (!http.RequestAborted.IsCancellationRequested) // a store timeout in one tenant does not stop the others
            {
                logger.LogError(e, "{Function} failed for tenant {TenantId}", function, tenant.Id);
                lines.Add($"{tenant.Id}: failed: {e.Message}");
                return false;
            }
        }
    }
}
