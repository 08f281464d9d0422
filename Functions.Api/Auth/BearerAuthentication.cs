using System.Security.Claims;
using System.Text.Encodings.Web;
using Functions.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Shared.Domain.Common;
using Shared.Infrastructure.Identity;

namespace Functions.Api.Auth;

/// <summary>
/// Validates our own access tokens (the JwtBearer package is not available here; Microsoft.IdentityModel.JsonWebTokens
/// does the cryptography). Missing or invalid tokens get a 401 problem, valid tokens of the wrong tenant a 403.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    JwtAccessTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureCode = "auth_failure_code";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 4096)
        {
            Context.Items[FailureCode] = "invalid_token";
            return AuthenticateResult.Fail("Authorization is not a Bearer token.");
        }

        var identity = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null)
        {
            Context.Items[FailureCode] = "invalid_token";
            return AuthenticateResult.Fail("The token is invalid or expired.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, SchemeName, TokenClaims.Subject, TokenClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var code = Context.Items[FailureCode] as string ?? "token_required";
        Response.Headers.WWWAuthenticate = code == "invalid_token" ? "Bearer error=\"invalid_token\"" : "Bearer";
        var detail = code == "invalid_token" ? "The access token is invalid or expired." : "This endpoint needs an access token (Authorization: Bearer).";
        return Problems.From(new Error(ErrorKind.Unauthorized, code, detail)).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.From(new Error(ErrorKind.Forbidden, "forbidden", "This token may not do that.")).ExecuteAsync(Context);
}

/// <summary>The caller as the token says; user-scoped endpoints take the user from here, never from the request.</summary>
public static class Caller
{
    public static UserId? UserIdOf(ClaimsPrincipal principal) =>
        UserId.TryParse(principal.FindFirstValue(TokenClaims.Subject), out var id) ? id : null;

    public static string? TenantOf(ClaimsPrincipal principal) => principal.FindFirstValue(TokenClaims.Tenant);
}

/// <summary>Runs after <see cref="TenantFilter"/>: a token issued for another tenant is refused (403), whatever it asks for.</summary>
public sealed class TokenTenantFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var tenant = TenantFilter.CurrentTenant(context.HttpContext);
        if (Caller.TenantOf(context.HttpContext.User) != tenant.Id.Value)
        {
            return Problems.From(new Error(ErrorKind.Forbidden, "tenant_mismatch", "The access token belongs to another tenant."));
        }

        return await next(context);
    }
}
