using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Stripe;

namespace Functions.Api.Billing;

/// <summary>The pricing page's plan list and Stripe's webhook.</summary>
public static class BillingEndpoints
{
    public const int MaxWebhookBytes = 256 * 1024;

    /// <summary>The log category of these endpoints.</summary>
    public const string LogCategory = "Billing";

    public static void MapBilling(this RouteGroupBuilder v1)
    {
        v1.MapGet("/plans", ListPlans)
            .AllowAnonymous()
            .WithName("ListPlans")
            .WithSummary("The tenant's plans, prices in integer minor units, and the billing cycles each is sold in.");

        v1.MapPost("/webhooks/stripe/{tenant_id}", ReceiveStripeEventAsync)
            .AllowAnonymous() // Stripe's signature is the proof, checked in the handler
            .WithName("StripeWebhook")
            .DisableRateLimiting()
            .WithSummary("Stripe's events, verified and read by Stripe.net; 200 once handled (also for repeats and ignored types), 400 for a bad or stale signature or a malformed event, 409 when it cannot be applied yet.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<List<PlanResponse>> ListPlans(HttpContext http)
    {
        var tenant = TenantFilter.CurrentTenant(http);
        return TypedResults.Ok(tenant.Plans.Select(p => new PlanResponse(
            p.Id.Value,
            p.Name,
            p.PriceMonthly.MinorUnits,
            p.PriceYearly.MinorUnits,
            p.PriceLifetime.MinorUnits,
            p.PriceMonthly.Currency,
            p.Allowance.Limit,
            ResetPeriodText.Format(p.Allowance.Period),
            p.Features,
            [.. Enum.GetValues<BillingCycle>().Where(c => p.StripePrices.For(c) is not null).Select(BillingText.Format)],
            p.IsDefault)).ToList());
    }

    /// <summary>Transport first (size, signature, Stripe.net's parse and the mapper's range checks), then the one use case.</summary>
    private static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> ReceiveStripeEventAsync(
        string tenant_id, HttpContext http, ISecretProvider secrets, StripeEventHandler handler, TimeProvider time, BackendMetrics metrics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var tenant = TenantFilter.CurrentTenant(http);
        var body = await RawBody.ReadAsync(http.Request, MaxWebhookBytes, cancellationToken);
        if (body is null)
        {
            return Problems.From(new Error(ErrorKind.PayloadTooLarge, "payload_too_large", $"Webhook bodies are limited to {MaxWebhookBytes} bytes."));
        }

        var accepted = new List<string>();
        foreach (var name in new[] { SecretNames.StripeWebhookSecret(tenant.Id.Value), SecretNames.StripeWebhookSecretPrevious(tenant.Id.Value) })
        {
            if (await secrets.FindAsync(name, cancellationToken) is { } secret)
            {
                accepted.Add(secret);
            }
        }

        if (accepted.Count == 0)
        {
            logger.LogError("No Stripe webhook secret is configured for tenant {TenantId}", tenant.Id);
            return Problems.From(new Error(ErrorKind.Unavailable, "webhook_not_configured", "This tenant's Stripe webhook is not configured."));
        }

        var verified = StripeWebhook.Verify(body, http.Request.Headers[StripeWebhook.SignatureHeader], accepted, time.GetUtcNow());
        if (!verified.IsSuccess)
        {
            metrics.Webhook(tenant.Id.Value, "unknown", "invalid_signature");
            logger.LogWarning("Stripe webhook for tenant {TenantId} refused: {Detail}", tenant.Id, verified.Error!.Detail);
            return Problems.From(verified.Error!);
        }

        // Stripe.net reads the event; StripeEventMapper range-checks every field billing uses and maps it.
        var stripeEvent = StripeWebhook.Parse(verified.Value);
        var parsed = stripeEvent.IsSuccess ? StripeEventMapper.Map(stripeEvent.Value, time.GetUtcNow()) : stripeEvent.Error!;
        if (!parsed.IsSuccess)
        {
            metrics.Webhook(tenant.Id.Value, "unknown", parsed.Error!.Code);
            logger.LogWarning("Stripe webhook for tenant {TenantId} refused: {Detail}", tenant.Id, parsed.Error!.Detail);
            return Problems.From(parsed.Error!);
        }

        var outcome = await handler.HandleAsync(tenant, parsed.Value, cancellationToken);
        metrics.Webhook(tenant.Id.Value, parsed.Value.Type, outcome.IsSuccess ? outcome.Value.ToString().ToLowerInvariant() : outcome.Error!.Code);
        if (!outcome.IsSuccess)
        {
            logger.LogWarning("Stripe event {EventId} for tenant {TenantId}: {Detail}", parsed.Value.Id, tenant.Id, outcome.Error!.Detail);
        }

        return Problems.Map(outcome, applied =>
        {
            logger.LogInformation("Stripe event {EventId} ({Type}) for tenant {TenantId}: {Outcome}", parsed.Value.Id, parsed.Value.Type, tenant.Id, applied);
            return TypedResults.Ok(new WebhookResponse(true, applied.ToString().ToLowerInvariant()));
        });
    }
}
