using System.Diagnostics;
using System.Text.Json;
using Functions.Workers.Invocation;
using Shared.Domain.Billing;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;

namespace Functions.Workers;

/// <summary>
/// The workers' functions, one POST endpoint per function name as the Functions host calls them (and the local
/// trigger loop, with the same payloads). 2xx = done; any other status makes the host retry the message and finally
/// dead-letter it, or log the timer run as failed.
/// </summary>
public static class WorkerFunctions
{
    public const string GenerateFeaturePriority = "GenerateFeaturePriority";
    public const string GenerateFeatureStandard = "GenerateFeatureStandard";
    public const string FeatureRequestSweep = "FeatureRequestSweep";
    public const string QuotaResetSweep = "QuotaResetSweep";
    public const string NightlyAnonymization = "NightlyAnonymization";
    public const string GracePeriodSweep = "GracePeriodSweep";
    public const string ReferralPerks = "ReferralPerks";

    /// <summary>The binding name of the Service Bus trigger in function.json.</summary>
    public const string MessageBinding = "message";

    public const int MaxInvocationBytes = 1024 * 1024;

    public static void MapWorkerFunctions(this WebApplication app)
    {
        app.MapPost($"/{GenerateFeaturePriority}", GenerateAsync);
        app.MapPost($"/{GenerateFeatureStandard}", GenerateAsync);
        app.MapPost($"/{FeatureRequestSweep}", (HttpContext http, FeatureSweep sweep, ConfiguredTenants tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, FeatureRequestSweep, tenants, async tenant => (await sweep.RunAsync(tenant, ct)).ToString()));
        app.MapPost($"/{QuotaResetSweep}", (HttpContext http, QuotaResetSweep sweep, ConfiguredTenants tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, QuotaResetSweep, tenants, async tenant => $"{await sweep.RunAsync(tenant, 200, ct)} accounts rolled over"));
        app.MapPost($"/{NightlyAnonymization}", (HttpContext http, NightlyAnonymization job, ConfiguredTenants tenants, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, NightlyAnonymization, tenants, async tenant =>
            {
                var yesterday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1);
                return (await job.RunAsync(tenant, yesterday, ct)).ToString();
            }));
        app.MapPost($"/{ReferralPerks}", (HttpContext http, ReferralPerkSweep sweep, ConfiguredTenants tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, ReferralPerks, tenants, async tenant => $"{await sweep.RunAsync(tenant, ct)} perks granted"));
        app.MapPost($"/{GracePeriodSweep}", (HttpContext http, GracePeriodSweep sweep, ConfiguredTenants tenants, ILoggerFactory logs, CancellationToken ct) =>
            TimerAsync(http, logs, GracePeriodSweep, tenants, async tenant => $"{await sweep.RunAsync(tenant, ct)} subscriptions suspended"));
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, FeatureJobProcessor processor, BackendMetrics metrics, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var function = http.Request.Path.Value!.TrimStart('/');
        var logger = logs.CreateLogger(function);
        var invocation = await ReadAsync(http, cancellationToken);
        if (invocation is null)
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
        var started = Stopwatch.GetTimestamp();
        var result = await processor.ProcessAsync(job, deliveryCount, cancellationToken);
        var outcome = result.Outcome?.ToString().ToLowerInvariant() ?? "retry";
        metrics.Job(function, job.TenantId.Value, outcome, Stopwatch.GetElapsedTime(started));
        if (result.Outcome == JobOutcome.FailedFinally)
        {
            metrics.DeadLetter(function, job.TenantId.Value);
        }

        if (result.Succeeded)
        {
            logger.LogInformation("Feature request {RequestId}: {Outcome} (delivery {DeliveryCount})", job.RequestId, outcome, deliveryCount);
            return Results.Json(new InvocationResponse([], [$"{job.RequestId}: {outcome}"], outcome));
        }

        logger.LogWarning(result.Failure, "Feature request {RequestId}: delivery {DeliveryCount} failed ({Outcome})", job.RequestId, deliveryCount, outcome);
        var response = Results.Json(InvocationResponse.WithLogs($"{job.RequestId}: delivery {deliveryCount} failed: {result.Failure!.Message}"), statusCode: StatusCodes.Status500InternalServerError);
        if (result.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return response;
    }

    private static async Task<IResult> TimerAsync(HttpContext http, ILoggerFactory logs, string function, ConfiguredTenants tenants, Func<Shared.Domain.Tenants.Tenant, Task<string>> run)
    {
        var logger = logs.CreateLogger(function);
        if (await ReadAsync(http, http.RequestAborted) is null)
        {
            return Results.Json(InvocationResponse.WithLogs("The invocation payload is not valid JSON of the host's shape."), statusCode: StatusCodes.Status400BadRequest);
        }

        var lines = new List<string>();
        var failed = false;
        foreach (var tenant in tenants.Tenants)
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
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed = true;
                logger.LogError(e, "{Function} failed for tenant {TenantId}", function, tenant.Id);
                lines.Add($"{tenant.Id}: failed: {e.Message}");
            }
        }

        return Results.Json(new InvocationResponse([], lines, null), statusCode: failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
    }

    private static async Task<InvocationRequest?> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength is > MaxInvocationBytes)
        {
            return null;
        }

        try
        {
            var invocation = await JsonSerializer.DeserializeAsync<InvocationRequest>(http.Request.Body, cancellationToken: cancellationToken);
            return invocation is { Data: not null } ? invocation : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
