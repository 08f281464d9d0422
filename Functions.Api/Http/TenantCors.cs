using Shared.Infrastructure.Tenants;

namespace Functions.Api.Http;

/// <summary>
/// CORS by tenant. A preflight names no tenant (browsers do not send header values in it), so it is allowed for any
/// origin some configured tenant allows; the real request is then answered with CORS headers only when its origin is
/// one of its own tenant's, so a page of tenant B cannot read tenant A's answers. "Its own tenant" is the one the
/// request is served for (<see cref="TenantResolver"/>): the route's where the route names one, whatever header is sent.
/// </summary>
public sealed class TenantCors(RequestDelegate next, ConfiguredTenants configured, TenantResolver resolver)
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

        var lookup = await resolver.ResolveAsync(context);
        if (lookup is { Outcome: TenantLookupOutcome.Found, Tenant: { } tenant } && tenant.AllowsOrigin(origin))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlExposeHeaders = "Retry-After, Location";
        }

        await next(context);
    }
}
