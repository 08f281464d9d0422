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

    /// <summary>
    /// The tenant the request names, unparsed: the route's <c>tenant_id</c> for Stripe and browser pages, else the
    /// header, else <c>?tenant=</c> for plain links (the checkout redirect). Authorization compares tokens with it too.
    /// </summary>
    public static string? RequestedTenant(HttpRequest request)
    {
        var raw = request.RouteValues.TryGetValue("tenant_id", out var routeValue) ? routeValue as string : request.Headers[Header].ToString();
        return string.IsNullOrEmpty(raw) ? request.Query["tenant"].ToString() : raw;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var raw = RequestedTenant(http.Request);

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
