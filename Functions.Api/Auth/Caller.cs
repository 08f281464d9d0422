using System.Security.Claims;
using Shared.Domain.Common;
using Shared.Infrastructure.Identity;

namespace Functions.Api.Auth;

/// <summary>
/// The caller as the validated token says (an access token, or an upgrade-link token where a policy accepts one);
/// user-scoped endpoints take the user from here, never from the request. Authentication refuses tokens whose claims
/// are malformed, so on an endpoint that required authorization these are never null.
/// </summary>
public static class Caller
{
    public static UserId? UserIdOf(ClaimsPrincipal principal) =>
        UserId.TryParse(principal.FindFirstValue(TokenClaims.Subject), out var id) ? id : null;

    public static string? TenantOf(ClaimsPrincipal principal) => principal.FindFirstValue(TokenClaims.Tenant);

    /// <summary>The caller of an endpoint whose policy required an authenticated user (throws if used elsewhere: a bug, not input).</summary>
    public static UserId Required(HttpContext http) =>
        UserIdOf(http.User) ?? throw new InvalidOperationException("The endpoint ran without an authenticated caller; its authorization policy is missing.");
}
