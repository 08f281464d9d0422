using System.Globalization;
using Functions.Api.Auth;
using Shared.Domain.Common;

namespace Functions.Api.Http;

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

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpContext http, TimeSpan retryAfter, string detail) =>
        Refuse(http, retryAfter, "rate_limited", detail);

    /// <summary>A 429 problem with <paramref name="code"/> and Retry-After (whole seconds, at least 1): every limit's refusal.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpContext http, TimeSpan retryAfter, string code, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return Problems.From(new Error(ErrorKind.TooManyRequests, code, detail));
    }

    /// <summary>A Retry-After value: whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan after) => Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
