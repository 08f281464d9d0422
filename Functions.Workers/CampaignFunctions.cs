using Functions.Workers.Invocation;
using Shared.Domain.Campaigns;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Tenants;

namespace Functions.Workers;

/// <summary>
/// The campaign-dispatch function (Service Bus queue <c>campaign-dispatch</c>; the embedded queue locally) and the
/// hourly expired-offer sweep. A dispatch or batch message is handled by <see cref="CampaignDispatcher"/>, whose every
/// step is idempotent: any failure answers 500 and the host redelivers the message. A provider that asked to wait
/// (rate limited past the adapter's retries) gets the batch back later by a scheduled copy of the message, instead of
/// using up its deliveries at once.
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

    private static async Task<IResult> DispatchAsync(HttpContext http, CampaignDispatcher dispatcher, IJobQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
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
        try
        {
            var campaign = await dispatcher.HandleAsync(job, cancellationToken);
            var state = campaign is null ? "unknown campaign" : CampaignChannels.Format(campaign.Status);
            logger.LogInformation("Campaign {CampaignId} {Step}: {State}", job.CampaignId, job.Batch is { } n ? $"batch {n}" : "dispatch", state);
            return Results.Json(new InvocationResponse([], [$"{job.MessageId}: {state}"], state));
        }
        catch (NotificationDeferredException e) when (!cancellationToken.IsCancellationRequested)
        {
            // What was sent is recorded; the rest of the batch comes back after the provider's wait, under an id of its own
            // per deferral step (deterministic, so a redelivery of this message schedules the same copy once). A batch
            // that keeps being deferred keeps its cost held until it gets through or the shopkeeper cancels.
            var at = time.GetUtcNow() + (e.RetryAfter ?? DefaultDeferral);
            await queue.SendAsync(QueueNames.CampaignDispatch, [job.DeferredCopy(at)], cancellationToken);
            logger.LogWarning(e, "Campaign {CampaignId} batch {Batch} deferred by the provider until {At:O}", job.CampaignId, job.Batch, at);
            return Results.Json(new InvocationResponse([], [$"{job.MessageId}: deferred until {at:O}"], "deferred"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Campaign {CampaignId}: delivery {DeliveryCount} of {MessageId} failed; the host redelivers it", job.CampaignId, deliveryCount, messageId);
            return Results.Json(InvocationResponse.WithLogs($"{job.MessageId}: delivery {deliveryCount} failed: {e.Message}"), statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
