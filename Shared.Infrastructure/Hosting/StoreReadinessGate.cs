using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// While the store is not ready, every endpoint that needs it (all but those marked <see cref="StoreNotRequired"/>) is
/// answered 503 <c>store_not_ready</c> with Retry-After, instead of failing inside with a 500. Unrouted requests pass on
/// (404/405 as usual).
/// </summary>
public sealed class StoreReadinessGate(RequestDelegate next, StoreReadiness readiness, IProblemDetailsService problems, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (readiness.IsReady || context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<StoreNotRequired>() is not null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = StoreHealthEndpoints.Seconds(readiness.RetryAfter(time.GetUtcNow()));
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = "The store is not ready yet; try again shortly.",
                Extensions = { ["code"] = StoreHealthReport.NotReadyCode },
            },
        });
    }
}
