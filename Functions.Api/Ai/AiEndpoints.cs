using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Ai;
using Shared.Domain.Common;
using Shared.Infrastructure.Ai;

namespace Functions.Api.Ai;

/// <summary>
/// The AI endpoints: the GPT-store proxy (<c>POST /ai/generate</c>, any user of the tenant; paid by the plan allowance,
/// then credits) and campaign text (<c>POST /campaigns/text</c>, shopkeepers). Both go through the AI port (tenant
/// prompt cache, tenant AI rate limit) after the caller's own share (<see cref="AiCallerLimiter"/>). Provider failures
/// are 503 <c>ai_unavailable</c> (nothing charged), our tenant AI limit a 429 <c>ai_rate_limited</c> with Retry-After.
/// </summary>
public static class AiEndpoints
{
    private const int MaxBodyBytes = 32 * 1024;

    public static void MapAi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/ai/generate", GenerateAsync)
            .WithName("AiGenerate")
            .WithSummary("Answers a prompt through the AI port; uses the plan allowance first, then credits (402 insufficient_credits when none are left). A cached answer costs nothing.")
            .Accepts<GenerateBody>("application/json")
            .ProducesAiProblems()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/campaigns/text", CampaignTextAsync)
            .WithName("CampaignText")
            .WithSummary("Writes a campaign message for a product and discount in a tone (friendly, professional, urgent, festive, playful), a language (BCP 47) and for a channel (in_app ≤ 1000, push ≤ 240, whatsapp ≤ 1024 characters).")
            .Accepts<CampaignTextBody>("application/json")
            .ProducesAiProblems()
            .RequireAuthorization(Policies.Shopkeeper);
    }

    private static async Task<Results<Ok<GenerateResponse>, ProblemHttpResult>> GenerateAsync(HttpContext http, GenerateAnswer generate, AiCallerLimiter limiter, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<GenerateBody>(http.Request, MaxBodyBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var tenant = TenantFilter.CurrentTenant(http);
        var user = Caller.Required(http);
        using var lease = limiter.TryEnter(tenant.Id.Value, user.Value, out var refusal);
        if (lease is null)
        {
            return RequestRateLimitFilter.Refuse(http, refusal.RetryAfter, refusal.Code, refusal.Detail);
        }

        return await CallAsync(http, async () => Problems.Map(
            await generate.HandleAsync(tenant, user, body.Value.Prompt, cancellationToken),
            a =>
            {
                if (a.UnsettledHold is { } hold)
                {
                    // The answer goes out uncharged; the hold is released by the sweep on the user's next paid generation.
                    http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AiEndpoints)).LogWarning("Settling the generation's credit hold {Hold} failed; answered uncharged", hold);
                }

                return TypedResults.Ok(new GenerateResponse(a.Text, a.CreditsSpent, a.Cached, a.Provider));
            }));
    }

    private static async Task<Results<Ok<CampaignTextResponse>, ProblemHttpResult>> CampaignTextAsync(HttpContext http, WriteCampaignText write, AiCallerLimiter limiter, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CampaignTextBody>(http.Request, MaxBodyBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var tenant = TenantFilter.CurrentTenant(http);
        using var lease = limiter.TryEnter(tenant.Id.Value, Caller.Required(http).Value, out var refusal);
        if (lease is null)
        {
            return RequestRateLimitFilter.Refuse(http, refusal.RetryAfter, refusal.Code, refusal.Detail);
        }

        var b = body.Value;
        return await CallAsync(http, async () => Problems.Map(
            await write.HandleAsync(tenant, new CampaignTextRequest(b.Product, b.Discount, b.Tone, b.Language, b.Channel), cancellationToken),
            t => TypedResults.Ok(new CampaignTextResponse(t.Text, t.MaxLength, t.Cached))));
    }

    /// <summary>The AI port's two failures as problems; anything else is a bug and goes on.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> CallAsync<T>(HttpContext http, Func<Task<Results<Ok<T>, ProblemHttpResult>>> call)
    {
        try
        {
            return await call();
        }
        catch (AiRateLimitExceededException e)
        {
            return RequestRateLimitFilter.Refuse(http, e.RetryAfter, "ai_rate_limited", "This tenant is over its AI rate; try again shortly. Nothing was charged.");
        }
        catch (AiProviderException e)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AiEndpoints)).LogWarning(e, "AI provider failed (transient: {Transient})", e.Transient);
            if (e.RetryAfter is { } after)
            {
                http.Response.Headers.RetryAfter = RequestRateLimitFilter.RetryAfterSeconds(after);
            }

            return Problems.From(new Error(ErrorKind.Unavailable, "ai_unavailable", "The AI service failed to answer; nothing was charged. Try again later."));
        }
    }

    private static RouteHandlerBuilder ProducesAiProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
