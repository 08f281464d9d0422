using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Functions.Api.Http;

/// <summary>
/// Every /api/v1 request names its tenant (see <see cref="TenantResolver"/> for where). The filter resolves it once;
/// endpoints read it with <see cref="CurrentTenant"/>.
/// </summary>
public sealed class TenantFilter(TenantResolver resolver, ILogger<TenantFilter> logger) : IEndpointFilter
{
    public const string Header = TenantResolver.Header;
    private const string ItemKey = "tenant";

    public static Tenant CurrentTenant(HttpContext context) =>
        context.Items[ItemKey] as Tenant ?? throw new InvalidOperationException("The tenant filter did not run for this endpoint.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var lookup = await resolver.ResolveAsync(http);
        switch (lookup.Outcome)
        {
            case TenantLookupOutcome.Missing:
                return Problems.From(new Error(ErrorKind.Validation, "tenant_required", $"Name the tenant in the {Header} header."));
            case TenantLookupOutcome.Malformed:
                return Problems.From(new Error(ErrorKind.Validation, "invalid_tenant", "The tenant id is malformed."));
            case TenantLookupOutcome.Limited:
                return RequestRateLimitFilter.Refuse(http, lookup.RetryAfter, "Too many requests for unknown tenants from this address; slow down.");
            case TenantLookupOutcome.Unknown:
                return Problems.From(Error.NotFound("tenant_not_found", "No such tenant."));
        }

        var tenant = lookup.Tenant!;
        http.Items[ItemKey] = tenant;
        Shared.Infrastructure.Diagnostics.Telemetry.Tag("tenant.id", tenant.Id.Value);
        using (logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = tenant.Id.Value }))
        {
            return await next(context);
        }
    }
}
