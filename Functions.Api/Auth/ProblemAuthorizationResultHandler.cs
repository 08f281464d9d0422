using Functions.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Shared.Domain.Common;

namespace Functions.Api.Auth;

/// <summary>
/// Turns authorization failures into our problem documents with stable codes: no or a bad access token → JwtBearer's
/// challenge (401 <c>token_required</c> / <c>invalid_token</c> with WWW-Authenticate); a missing or bad upgrade-link
/// token → 400 <c>link_token_required</c> / 403 <c>invalid_link_token</c>; a failed requirement → the problem it named
/// (403 <c>tenant_mismatch</c>, 404 <c>user_not_found</c>, …) or 403 <c>forbidden</c> (a role).
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        if (authorizeResult.Challenged)
        {
            var hasLinkToken = context.Request.Query.ContainsKey(AuthSchemes.LinkTokenQuery);
            if (policy.AuthenticationSchemes.Contains(AuthSchemes.UpgradeLink))
            {
                await (hasLinkToken ? InvalidLinkToken() : LinkTokenRequired()).ExecuteAsync(context);
            }
            else if (policy.AuthenticationSchemes.Contains(AuthSchemes.BearerOrUpgradeLink) && hasLinkToken && context.Request.Headers.Authorization.Count == 0)
            {
                await InvalidLinkToken().ExecuteAsync(context);
            }
            else
            {
                await context.ChallengeAsync(AuthSchemes.Bearer);
            }

            return;
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ProblemFailureReason>().FirstOrDefault();
        await Problems.From(reason?.Error ?? new Error(ErrorKind.Forbidden, "forbidden", "This token may not do that.")).ExecuteAsync(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult LinkTokenRequired() =>
        Problems.From(new Error(ErrorKind.Validation, "link_token_required", "Checkout links carry a signed link token (?token=… from identify's upgrade_url or the pricing page); a bare user_id is not accepted."));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InvalidLinkToken() =>
        Problems.From(new Error(ErrorKind.Forbidden, "invalid_link_token", "This link has expired or is not valid; open the upgrade link from the extension again."));
}
