using Microsoft.AspNetCore.Authorization;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Functions.Api.Auth;

/// <summary>
/// "The route's user is the caller" (route value <c>user_id</c>), or the caller is an admin of the tenant. Anyone
/// else's user is reported as absent (404 <c>user_not_found</c>), not as forbidden, so ids cannot be probed. Admin is
/// checked against the store (a revoked admin's token no longer reads other users' data).
/// </summary>
public sealed class RouteUserRequirement : AuthorizationHandler<RouteUserRequirement>, IAuthorizationRequirement
{
    public const string RouteValue = "user_id";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RouteUserRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity is not { IsAuthenticated: true })
        {
            return;
        }

        if (!UserId.TryParse(http.Request.RouteValues[RouteValue] as string, out var routeUser))
        {
            context.Fail(new ProblemFailureReason(this, Error.Validation(RouteValue, "Must be a user id as returned by identify.")));
        }
        else if (Caller.UserIdOf(context.User) == routeUser
            || (context.User.IsInRole(Role.Admin.ToClaim()) && await StoredAdminRequirement.IsStoredAdminAsync(http, context.User)))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new ProblemFailureReason(this, Error.NotFound("user_not_found", "No such user in this tenant.")));
        }
    }
}
