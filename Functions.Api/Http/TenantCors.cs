using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Hosting;

namespace Functions.Api.Http;

/// <summary>
/// CORS by tenant. A preflight names no tenant (browsers do not send header values in it), so it is allowed for any
/// origin some configured tenant allows; the real request is then answered with CORS headers only when its origin is
/// one of its own tenant's, so a page of tenant B cannot read tenant A's answers.
/// </summary>
public sealed class TenantCors(RequestDelegate next, ConfiguredTenants configured, ITenantDirectory tenants)
{
    private const string AllowedHeaders = "Content-Type, Authorization, X-Tenant-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            await next(context);
            return;
        }

        context.Response.Headers.Vary = "Origin";
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            if (configured.AllOrigins.Contains(origin))
            {
                context.Response.Headers.AccessControlAllowOrigin = origin;
                context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                context.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
                context.Response.Headers.AccessControlMaxAge = "600";
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var raw = context.Request.Headers[TenantFilter.Header].ToString();
        if (raw.Length == 0)
        {
            raw = context.Request.Query["tenant"].ToString();
        }

        if (TenantId.TryParse(raw, out var tenantId) && await tenants.FindAsync(tenantId.Value, context.RequestAborted) is { } tenant && tenant.AllowsOrigin(origin))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlExposeHeaders = "Retry-After, Location";
        }

        await next(context);
    }
}
