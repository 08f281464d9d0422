using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Identity;

namespace Functions.Api.Auth;

/// <summary>
/// Authenticates the upgrade-link token in <c>?token=</c> (<see cref="UpgradeLinkTokens"/>): the caller is the user and
/// tenant it names, with no role. Only the policies that accept links use this scheme.
/// </summary>
public sealed class UpgradeLinkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UpgradeLinkTokens links) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Query.TryGetValue(AuthSchemes.LinkTokenQuery, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var caller = values.Count == 1 ? await links.ValidateAsync(values[0], Context.RequestAborted) : null;
        if (caller is null)
        {
            return AuthenticateResult.Fail("The upgrade-link token is invalid or expired.");
        }

        // Like access tokens (AccessTokenAuthentication): a link outlives its user's erasure by up to its lifetime.
        if (await Context.RequestServices.GetRequiredService<IErasureRegistry>().IsErasedAsync(caller.TenantId, caller.UserId, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The upgrade link's user was erased.");
        }

        Claim[] claims =
        [
            new(TokenClaims.Subject, caller.UserId.Value),
            new(TokenClaims.Tenant, caller.TenantId.Value),
            new(TokenClaims.Purpose, UpgradeLinkTokens.UpgradePurpose),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, TokenClaims.Subject, TokenClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
