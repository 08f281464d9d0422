using Functions.Workers.Invocation;
using Shared.Domain.Campaigns;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Jobs;

namespace Functions.Workers;

/// <summary>
/// The campaign-dispatch function (Service Bus queue <c>campaign-dispatch</c>; the embedded queue locally) and the
/// hourly expired-offer sweep. A dispatch or batch message is handled by <see cref="CampaignDispatcher"/>, whose every
/// step is idempotent: a failure answers 500 and the host redelivers the message (on a batch's last delivery its unsent
/// messages are given up as failed instead, so the campaign settles and releases them). Two failures come back later by a
/// scheduled copy of the message instead of using up its deliveries at once (the host redelivers at once, and a
/// dead-lettered batch would never settle, leaving its cost held): a provider that asked to wait (rate limited past the
/// adapter's retries; at most <see cref="CampaignOptions.MaxDeferrals"/> times, then the batch gives its unsent
/// messages up as failed), and a store that could not be reached (at most <see cref="CampaignOptions.MaxStoreRetries"/>
/// times, then the host's redeliveries).
/// </summary>
public static class CampaignFunctions
{
    public const string CampaignDispatch = "CampaignDispatch";
    public const string OfferSweep = "OfferSweep";

    /// <summary>When a deferred provider gave no Retry-After.</summary>
    public static readonly TimeSpan DefaultDeferral = TimeSpan.FromSeconds(30);

    public static void MapCampaignFunctions(this WebApplication app)
    {
        app.MapPost($"/{CampaignDispatch}", DispatchAsync);
        app.MapPost($"/{OfferSweep}", (HttpContext http, Shared.Domain.Campaigns.OfferSweep sweep, ITenantStore tenants, ILoggerFactory logs, CancellationToken ct) =>
            WorkerFunctions.TimerAsync(http, logs, OfferSweep, tenants, async tenant => $"{await sweep.RunAsync(tenant, ct)} expired offers deleted"));
    }

    private static async Task<IResult> DispatchAsync(HttpContext http, CampaignDispatcher dispatcher, IJobQueue queue, CampaignOptions options, BackendMetrics metrics, JobQueueOptions queueOptions, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var logger = logs.CreateLogger(CampaignDispatch);
        var (invocation, tooLarge) = await InvocationReader.ReadAsync(http, cancellationToken);
        if (tooLarge)
        {
            return InvocationReader.TooLarge();
        }

        if (invocation?.Data is null)
        {
            return Results.Json(InvocationResponse.WithLogs("The invocation payload is not valid JSON of the host's shape."), statusCode: StatusCodes.Status400BadRequest);
        }

        var messageId = invocation.MetadataString("MessageId");
        var deliveryCount = invocation.MetadataInt("DeliveryCount") ?? 1;
        if (!CampaignJob.TryParse(invocation.MessageBody(WorkerFunctions.MessageBinding), out var job))
        {
            logger.LogError("Message {MessageId} is not a campaign job", messageId);
            return Results.Json(InvocationResponse.WithLogs($"Message {messageId} is not a campaign job."), statusCode: StatusCodes.Status400BadRequest);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = job.TenantId.Value, ["CampaignId"] = job.CampaignId, ["MessageId"] = messageId });
        var tenant = job.TenantId.Value;
        var started = time.GetTimestamp();
        try
        {
            var campaign = await dispatcher.HandleAsync(job, cancellationToken);
            var state = campaign is null ? "unknown campaign" : CampaignChannels.Format(campaign.Status);
            metrics.Job(CampaignDispatch, tenant, "completed", time.GetElapsedTime(started));
            logger.LogInformation("Campaign {CampaignId} {Step}: {State}", job.CampaignId, job.Batch is { } n ? $"batch {n}" : "dispatch", state);
            return Results.Json(new InvocationResponse([], [$"{job.MessageId}: {state}"], state));
        }
        catch (NotificationDeferredException e) when (!cancellationToken.IsCancellationRequested)
        {
            // What was sent is recorded; the rest of the batch comes back after the provider's wait, under an id of its own
            // per deferral step (deterministic, so a redelivery of this message schedules the same copy once). Past
            // MaxDeferrals the copy gives the unsent messages up (failed, released), so a provider that never takes
            // them again (a revoked token, a refused project) does not keep the cost held.
            var at = time.GetUtcNow() + (e.RetryAfter ?? DefaultDeferral);
            await queue.SendAsync(QueueNames.CampaignDispatch, [job.DeferredCopy(at)], cancellationToken);
            metrics.Job(CampaignDispatch, tenant, "deferred", time.GetElapsedTime(started));
            metrics.Rescheduled(CampaignDispatch, tenant, "rate_limit");
            logger.LogWarning(e, "Campaign {CampaignId} batch {Batch} deferred by the provider until {At:O} (deferral {Deferral} of at most {MaxDeferrals})", job.CampaignId, job.Batch, at, job.Deferrals + 1, options.MaxDeferrals);
            return Results.Json(new InvocationResponse([], [$"{job.MessageId}: deferred until {at:O}"], "deferred"));
        }
        catch (Exception e) when (BackendServices.IsTransientStoreFailure(e) && !cancellationToken.IsCancellationRequested
            && options.StoreRetryDelayOf(job.StoreRetries + 1) is { } delay)
        {
            // The store (or the queue) could not be reached: every step is idempotent, so the same message comes back
            // later under an id of its own per retry (deterministic, so a redelivery schedules the same copy once).
            // If this send fails too, the 500 below is the host's redelivery.
            var at = time.GetUtcNow() + delay;
            await queue.SendAsync(QueueNames.CampaignDispatch, [job.StoreRetryCopy(at)], cancellationToken);
            metrics.Job(CampaignDispatch, tenant, "rescheduled", time.GetElapsedTime(started));
            metrics.Rescheduled(CampaignDispatch, tenant, "store");
            logger.LogWarning(e, "Campaign {CampaignId}: the store could not be reached; {MessageId} comes back at {At:O} (retry {Retry} of at most {MaxRetries})", job.CampaignId, messageId, at, job.StoreRetries + 1, options.MaxStoreRetries);
            return Results.Json(new InvocationResponse([], [$"{job.MessageId}: store unavailable, next attempt at {at:O}"], "rescheduled"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (deliveryCount >= queueOptions.MaxDeliveries && job.Batch is { } batch)
            {
                // The batch's last delivery failed for good (not the store: that is retried above): its unsent messages
                // are given up as failed, so the campaign still settles and releases their cost instead of keeping it
                // held behind a dead-lettered message.
                try
                {
                    var settled = await dispatcher.DeliverBatchAsync(job.TenantId, job.CampaignId, batch, cancellationToken, giveUp: true);
                    metrics.Job(CampaignDispatch, tenant, "failed_finally", time.GetElapsedTime(started));
                    logger.LogError(e, "Campaign {CampaignId} batch {Batch} failed on its last delivery {DeliveryCount}; its unsent messages were given up as failed", job.CampaignId, batch, deliveryCount);
                    var state = settled is null ? "unknown campaign" : CampaignChannels.Format(settled.Status);
                    return Results.Json(new InvocationResponse([], [$"{job.MessageId}: given up after {deliveryCount} deliveries: {e.Message}"], state));
                }
                catch (Exception giveUp) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(giveUp, "Campaign {CampaignId} batch {Batch} could not be given up either", job.CampaignId, batch);
                }
            }

            metrics.Job(CampaignDispatch, tenant, "retry", time.GetElapsedTime(started));
            if (deliveryCount >= queueOptions.MaxDeliveries)
            {
                metrics.DeadLetter(CampaignDispatch, tenant);
            }

            logger.LogWarning(e, "Campaign {CampaignId}: delivery {DeliveryCount} of {MessageId} failed; the host redelivers it", job.CampaignId, deliveryCount, messageId);
            return Results.Json(InvocationResponse.WithLogs($"{job.MessageId}: delivery {deliveryCount} failed: {e.Message}"), statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
