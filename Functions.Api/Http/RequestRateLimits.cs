using System.Globalization;
using System.Threading.RateLimiting;
using Functions.Api.Auth;
using Shared.Domain.Common;

namespace Functions.Api.Http;

public sealed class RequestRateLimitOptions
{
    /// <summary>Requests one tenant may make per second (all its callers together), per instance.</summary>
    public int PerTenantPerSecond { get; set; } = 1000;

    /// <summary>Requests one caller (a user by token, else a client address) may make per minute in one tenant, per instance.</summary>
    public int PerCallerPerMinute { get; set; } = 600;
}

/// <summary>The process' token buckets (a singleton: endpoint filters are created per request).</summary>
public sealed class RequestRateLimiter : IDisposable
{
    public RequestRateLimiter(RequestRateLimitOptions options)
    {
        Tenants = PartitionedRateLimiter.Create<string, string>(tenant => RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.PerTenantPerSecond),
            TokensPerPeriod = Math.Max(1, options.PerTenantPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        Callers = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.PerCallerPerMinute),
            TokensPerPeriod = Math.Max(1, (options.PerCallerPerMinute + 5) / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public PartitionedRateLimiter<string> Tenants { get; }

    public PartitionedRateLimiter<string> Callers { get; }

    public void Dispose()
    {
        Tenants.Dispose();
        Callers.Dispose();
    }
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
        using var callerLease = limiter.Callers.AttemptAcquire(caller);
        if (!callerLease.IsAcquired)
        {
            return Refuse(http, callerLease, "Too many requests from this caller; slow down.");
        }

        using var tenantLease = limiter.Tenants.AttemptAcquire(tenant);
        return tenantLease.IsAcquired ? await next(context) : Refuse(http, tenantLease, "This tenant is over its request rate; try again shortly.");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpContext http, RateLimitLease lease, string detail)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.From(new Error(ErrorKind.TooManyRequests, "rate_limited", detail));
    }
}
