using System.Security.Claims;
using Functions.Api.Http;
using Microsoft.AspNetCore.Authorization;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Functions.Api.Auth;

/// <summary>
/// "Still an admin": besides the token's admin role claim, the user's effective roles are read from the store
/// (<see cref="UserRoles"/>) on every admin request, so revoking admin takes effect at once for admin endpoints, not
/// only when the token is renewed. Only a token of the request's tenant that claims admin costs a store read; any
/// other fails on the tenant or role requirement without one.
/// </summary>
public sealed class StoredAdminRequirement : AuthorizationHandler<StoredAdminRequirement>, IAuthorizationRequirement
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StoredAdminRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity is not { IsAuthenticated: true } || !context.User.IsInRole(Role.Admin.ToClaim()))
        {
            return; // the tenant, role or authentication requirement fails this request on its own
        }

        if (await IsStoredAdminAsync(http, context.User))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new ProblemFailureReason(this, new Error(ErrorKind.Forbidden, "not_admin", "This account is no longer an admin of this tenant.")));
        }
    }

    /// <summary>
    /// Whether the caller is an admin of the request's tenant by the store (grants and the tenant's admin emails), not
    /// only by the token's claim: every use of admin powers asks this, so revoking admin takes effect at once.
    /// </summary>
    public static async Task<bool> IsStoredAdminAsync(HttpContext http, ClaimsPrincipal user) =>
        Caller.UserIdOf(user) is { } userId
        && TenantId.TryParse(TenantResolver.RequestedTenant(http), out var tenantId)
        && Caller.TenantOf(user) == tenantId.Value.Value
        && (await http.RequestServices.GetRequiredService<UserRoles>().EffectiveAsync(tenantId.Value, userId, http.RequestAborted)).Contains(Role.Admin);
}
