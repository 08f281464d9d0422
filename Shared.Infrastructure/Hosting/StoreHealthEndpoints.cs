using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Shared.Infrastructure.Hosting;

/// <summary>The health endpoint and the readiness gate, the same in both apps.</summary>
public static class StoreHealthEndpoints
{
    public const string HealthPath = "/api/health";

    /// <summary>GET /api/health: 200 <c>{"status":"ok"}</c>, or a 503 problem (<c>store_not_ready</c>, <c>store_unavailable</c>).</summary>
    public static RouteHandlerBuilder MapStoreHealth(this IEndpointRouteBuilder app) =>
        app.MapGet(HealthPath, async (HttpContext http, StoreHealth health, CancellationToken ct) => ToResult(http, await health.CheckAsync(ct)))
            .AllowWithoutStore();

    /// <summary>Marks endpoints that serve without the store, so the readiness gate lets them through.</summary>
    public static TBuilder AllowWithoutStore<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(StoreNotRequired.Instance);

    /// <summary>Answers 503 <c>store_not_ready</c> for store-dependent endpoints until the store is ready (after routing, before anything that reads the store).</summary>
    public static IApplicationBuilder UseStoreReadinessGate(this IApplicationBuilder app) => app.UseMiddleware<StoreReadinessGate>();

    public static IResult ToResult(HttpContext http, StoreHealthReport report)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (report.IsHealthy)
        {
            return Results.Ok(new { status = "ok" });
        }

        if (report.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Seconds(retryAfter);
        }

        return Results.Problem(
            statusCode: report.StatusCode,
            title: "Service Unavailable",
            detail: report.Detail,
            extensions: new Dictionary<string, object?> { ["code"] = report.Code });
    }

    /// <summary>A Retry-After value: whole seconds, rounded up.</summary>
    public static string Seconds(TimeSpan delay) => ((long)Math.Ceiling(Math.Max(1, delay.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
}
