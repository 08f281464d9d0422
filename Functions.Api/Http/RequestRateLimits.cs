using System.Globalization;
using Functions.Api.Auth;
using Shared.Domain.Common;
using Shared.Infrastructure.RateLimiting;

namespace Functions.Api.Http;

public sealed class RequestRateLimitOptions
{
    /// <summary>Requests one tenant may make per second (all its callers together), per instance.</summary>
    public int PerTenantPerSecond { get; set; } = 1000;

    /// <summary>
    /// Requests one caller may make per minute in one tenant, per instance. A caller is the token's user AND the client
    /// address: a request must fit both budgets, so attaching tokens never adds to an address' budget.
    /// </summary>
    public int PerCallerPerMinute { get; set; } = 600;

    /// <summary>The address budget when it should differ from <see cref="PerCallerPerMinute"/> (many users behind one NAT); unset means the same.</summary>
    public int? PerAddressPerMinute { get; set; }

    /// <summary>
    /// Lookups of tenants this instance does not know (not cached as existing) one client address may cause per minute,
    /// all tenant ids together, before the store is read: names of unknown tenants cost a store read each and skip every
    /// per-tenant limit.
    /// </summary>
    public int UnknownTenantPerAddressPerMinute { get; set; } = 30;

    /// <summary>Callers (and tenants) whose buckets one instance keeps; beyond it idle buckets are dropped first (memory bound).</summary>
    public int MaxTrackedCallers { get; set; } = 100_000;
}

/// <summary>
/// The process' token buckets (a singleton: endpoint filters are created per request), refilled by the injected clock:
/// a tenant's bucket holds a second's worth and refills every second; a user's and an address' hold a minute's worth and
/// refill a sixth of it every 10 seconds, as does an address' budget for unknown tenants.
/// </summary>
public sealed class RequestRateLimiter(RequestRateLimitOptions options, TimeProvider time)
{
    public KeyedTokenBucketLimiter Tenants { get; } = new(
        time,
        capacity: Math.Max(1, options.PerTenantPerSecond),
        tokensPerPeriod: Math.Max(1, options.PerTenantPerSecond),
        period: TimeSpan.FromSeconds(1),
        maxKeys: Math.Max(1, options.MaxTrackedCallers));

    /// <summary>Per tenant and user (the token's subject).</summary>
    public KeyedTokenBucketLimiter Users { get; } = PerMinute(time, options.PerCallerPerMinute, options.MaxTrackedCallers);

    /// <summary>Per tenant and client address (see <see cref="ClientAddress"/>).</summary>
    public KeyedTokenBucketLimiter Addresses { get; } = PerMinute(time, options.PerAddressPerMinute ?? options.PerCallerPerMinute, options.MaxTrackedCallers);

    /// <summary>Per client address only: the tenant ids an attacker names are theirs to vary.</summary>
    public KeyedTokenBucketLimiter UnknownTenants { get; } = PerMinute(time, options.UnknownTenantPerAddressPerMinute, options.MaxTrackedCallers);

    private static KeyedTokenBucketLimiter PerMinute(TimeProvider time, int perMinute, int maxKeys) => new(
        time,
        capacity: Math.Max(1, perMinute),
        tokensPerPeriod: Math.Max(1, (perMinute + 5) / 6),
        period: TimeSpan.FromSeconds(10),
        maxKeys: Math.Max(1, maxKeys));
}

/// <summary>
/// Per-address, per-user and per-tenant token buckets on every /api/v1 call (after the tenant is resolved; endpoints
/// marked <c>.DisableRateLimiting()</c>, Stripe's signed webhook, are exempt). A request must fit its address' bucket,
/// its user's bucket when it carries a valid token of this tenant, and the tenant's. Refusals are 429 problems with
/// Retry-After and change nothing; a refused request still counts against the buckets checked before the refusing one.
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
        if (!limiter.Addresses.TryAcquire($"{tenant}|{ClientAddress.KeyOf(http)}", out var addressRetryAfter))
        {
            return Refuse(http, addressRetryAfter, "Too many requests from this address; slow down.");
        }

        if (Caller.UserIdOf(http.User) is { } user && Caller.TenantOf(http.User) == tenant
            && !limiter.Users.TryAcquire($"{tenant}|{user.Value}", out var userRetryAfter))
        {
            return Refuse(http, userRetryAfter, "Too many requests from this caller; slow down.");
        }

        return limiter.Tenants.TryAcquire(tenant, out var tenantRetryAfter)
            ? await next(context)
            : Refuse(http, tenantRetryAfter, "This tenant is over its request rate; try again shortly.");
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.From(new Error(ErrorKind.TooManyRequests, "rate_limited", detail));
    }
}
