using System.Globalization;
using Functions.Api.Auth;
using Shared.Domain.Common;
using Shared.Infrastructure.RateLimiting;

namespace Functions.Api.Http;

public sealed class RequestRateLimitOptions
{
    /// <summary>Requests one tenant may make per second (all its callers together), per instance.</summary>
    public int PerTenantPerSecond { get; set; } = 1000;

    /// <summary>Requests one caller (a user by token, else a client address) may make per minute in one tenant, per instance.</summary>
    public int PerCallerPerMinute { get; set; } = 600;

    /// <summary>Callers (and tenants) whose buckets one instance keeps; beyond it idle buckets are dropped first (memory bound).</summary>
    public int MaxTrackedCallers { get; set; } = 100_000;
}

/// <summary>
/// The process' token buckets (a singleton: endpoint filters are created per request), refilled by the injected clock:
/// a tenant's bucket holds a second's worth and refills every second; a caller's holds a minute's worth and refills a
/// sixth of it every 10 seconds.
/// </summary>
public sealed class RequestRateLimiter(RequestRateLimitOptions options, TimeProvider time)
{
    public KeyedTokenBucketLimiter Tenants { get; } = new(
        time,
        capacity: Math.Max(1, options.PerTenantPerSecond),
        tokensPerPeriod: Math.Max(1, options.PerTenantPerSecond),
        period: TimeSpan.FromSeconds(1),
        maxKeys: Math.Max(1, options.MaxTrackedCallers));

    public KeyedTokenBucketLimiter Callers { get; } = new(
        time,
        capacity: Math.Max(1, options.PerCallerPerMinute),
        tokensPerPeriod: Math.Max(1, (options.PerCallerPerMinute + 5) / 6),
        period: TimeSpan.FromSeconds(10),
        maxKeys: Math.Max(1, options.MaxTrackedCallers));
}

/// <summary>
/// Per-tenant and per-caller token buckets on every /api/v1 call (after the tenant is resolved; endpoints marked
/// <c>.DisableRateLimiting()</c>, Stripe's signed webhook, are exempt). Refusals are 429 problems with Retry-After and change nothing.
/// Limits are per instance: N instances allow N times the configured rates.
/// </summary>
public sealed class RequestRateLimitFilter(RequestRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>() is not null)
        {
            return await next(context); // endpoints marked .DisableRateLimiting() (Stripe's signed webhook; Stripe retries on its own)
        }

        var tenant = TenantFilter.CurrentTenant(http).Id.Value;
        var caller = Caller.UserIdOf(http.User) is { } user && Caller.TenantOf(http.User) == tenant
            ? $"{tenant}|user|{user.Value}"
            : $"{tenant}|addr|{http.Connection.RemoteIpAddress}";
        if (!limiter.Callers.TryAcquire(caller, out var callerRetryAfter))
        {
            return Refuse(http, callerRetryAfter, "Too many requests from this caller; slow down.");
        }

        return limiter.Tenants.TryAcquire(tenant, out var tenantRetryAfter)
            ? await next(context)
            : Refuse(http, tenantRetryAfter, "This tenant is over its request rate; try again shortly.");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.From(new Error(ErrorKind.TooManyRequests, "rate_limited", detail));
    }
}
