using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Functions.Api.Http;

/// <summary>
/// Finds the tenant a request names, once per request, by one rule for everything that asks (CORS and the tenant
/// filter): the route's <c>tenant_id</c> where the route has one (Stripe webhooks, browser pages), else the
/// <c>X-Tenant-ID</c> header, else the query parameter <c>tenant</c> (links a browser follows). A tenant the directory
/// already knows to exist costs nothing; any other name first takes a token from the client address' budget for
/// unknown tenants, so names of tenants that do not exist can neither read the store without limit nor skip the limits.
/// </summary>
public sealed class TenantResolver(ITenantDirectory tenants, RequestRateLimiter limiter)
{
    public const string Header = "X-Tenant-ID";
    private static readonly object ItemKey = new();

    /// <summary>The raw tenant name the request carries, by the rule above (null when it names none).</summary>
    public static string? RequestedTenant(HttpContext http)
    {
        if (http.Request.RouteValues.TryGetValue("tenant_id", out var routeValue))
        {
            return routeValue as string;
        }

        var raw = http.Request.Headers[Header].ToString();
        if (raw.Length == 0)
        {
            raw = http.Request.Query["tenant"].ToString();
        }

        return raw.Length == 0 ? null : raw;
    }

    public async ValueTask<TenantLookup> ResolveAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var done) && done is TenantLookup known)
        {
            return known;
        }

        var lookup = await LookUpAsync(http);
        http.Items[ItemKey] = lookup;
        return lookup;
    }

    private async Task<TenantLookup> LookUpAsync(HttpContext http)
    {
        var raw = RequestedTenant(http);
        if (string.IsNullOrEmpty(raw))
        {
            return TenantLookup.Missing;
        }

        if (!TenantId.TryParse(raw, out var id))
        {
            return TenantLookup.Malformed;
        }

        if (tenants.TryGetCached(id.Value, out var cached))
        {
            return new TenantLookup(TenantLookupOutcome.Found, cached);
        }

        if (!limiter.UnknownTenants.TryAcquire(ClientAddress.KeyOf(http), out var retryAfter))
        {
            return new TenantLookup(TenantLookupOutcome.Limited, RetryAfter: retryAfter);
        }

        var tenant = await tenants.FindAsync(id.Value, http.RequestAborted);
        return tenant is null ? TenantLookup.Unknown : new TenantLookup(TenantLookupOutcome.Found, tenant);
    }
}
