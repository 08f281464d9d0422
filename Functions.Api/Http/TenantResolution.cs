using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Functions.Api.Http;

/// <summary>
/// Every /api/v1 request names its tenant in X-Tenant-ID (routes that carry it, such as webhooks, use the route value
/// "tenant_id" instead; links a browser follows may use the query parameter "tenant"). The filter resolves it once; endpoints read it with <see cref="CurrentTenant"/>.
/// </summary>
public sealed class TenantFilter(ITenantDirectory tenants, ILogger<TenantFilter> logger) : IEndpointFilter
{
    public const string Header = "X-Tenant-ID";
    private const string ItemKey = "tenant";

    public static Tenant CurrentTenant(HttpContext context) =>
        context.Items[ItemKey] as Tenant ?? throw new InvalidOperationException("The tenant filter did not run for this endpoint.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // The route names the tenant for Stripe and browser pages; plain links (the checkout redirect) use ?tenant=.
        var raw = http.Request.RouteValues.TryGetValue("tenant_id", out var routeValue) ? routeValue as string : http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            raw = http.Request.Query["tenant"].ToString();
        }

        if (string.IsNullOrEmpty(raw))
        {
            return Problems.From(new Error(ErrorKind.Validation, "tenant_required", $"Name the tenant in the {Header} header."));
        }

        if (!TenantId.TryParse(raw, out var tenantId))
        {
            return Problems.From(new Error(ErrorKind.Validation, "invalid_tenant", "The tenant id is malformed."));
        }

        var tenant = await tenants.FindAsync(tenantId.Value, http.RequestAborted);
        if (tenant is null)
        {
            return Problems.From(Error.NotFound("tenant_not_found", "No such tenant."));
        }

        http.Items[ItemKey] = tenant;
        Shared.Infrastructure.Diagnostics.Telemetry.Tag("tenant.id", tenant.Id.Value);
        using (logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = tenant.Id.Value }))
        {
            return await next(context);
        }
    }
}
