using Functions.Api.Http;
using Microsoft.AspNetCore.Authorization;
using Shared.Domain.Common;

namespace Functions.Api.Auth;

/// <summary>
/// "A user of this tenant": the token's <c>tid</c> is the tenant the request names (header, route or <c>?tenant=</c>),
/// compared before anything reads the store; a token of another tenant gets 403 <c>tenant_mismatch</c> whatever it asks.
/// </summary>
public sealed class TenantMatchRequirement : AuthorizationHandler<TenantMatchRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantMatchRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity is not { IsAuthenticated: true })
        {
            return Task.CompletedTask; // anonymous: the authentication requirement fails (401)
        }

        var requested = TenantResolver.RequestedTenant(http);
        if (string.IsNullOrEmpty(requested))
        {
            context.Fail(new ProblemFailureReason(this, new Error(ErrorKind.Validation, "tenant_required", $"Name the tenant in the {TenantFilter.Header} header.")));
        }
        else if (!TenantId.TryParse(requested, out _))
        {
            context.Fail(new ProblemFailureReason(this, new Error(ErrorKind.Validation, "invalid_tenant", "The tenant id is malformed.")));
        }
        else if (context.User.Identities.Where(i => i.IsAuthenticated).All(i => i.FindAll(Shared.Infrastructure.Identity.TokenClaims.Tenant).Select(c => c.Value).ToList() is [var tid] && tid == requested))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new ProblemFailureReason(this, new Error(ErrorKind.Forbidden, "tenant_mismatch", "The token belongs to another tenant.")));
        }

        return Task.CompletedTask;
    }
}
