using Functions.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Identity;

namespace Functions.Api.Auth;

/// <summary>
/// Authentication and authorization the ASP.NET Core way: JwtBearer validates our access tokens (HS256; keys from the
/// secret provider through <see cref="AccessTokenKeySource"/>, current and previous; lifetime by the injected clock; a
/// token with a missing or malformed <c>sub</c>, <c>tid</c> or <c>role</c> is refused, 401), the upgrade-link scheme
/// reads <c>?token=</c>, and endpoints declare <see cref="Policies"/>.
/// </summary>
public static class AccessTokenAuthentication
{
    public static IServiceCollection AddAccessTokenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(AuthSchemes.Bearer)
            .AddJwtBearer(AuthSchemes.Bearer, _ => { })
            .AddScheme<AuthenticationSchemeOptions, UpgradeLinkAuthenticationHandler>(AuthSchemes.UpgradeLink, null)
            .AddPolicyScheme(AuthSchemes.BearerOrUpgradeLink, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? AuthSchemes.Bearer : AuthSchemes.UpgradeLink);
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    private sealed class ConfigureJwtBearer(TokenOptions tokens, TimeProvider time, AccessTokenKeySource keys) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name == AuthSchemes.Bearer)
            {
                Configure(options);
            }
        }

        public void Configure(JwtBearerOptions options)
        {
            options.MapInboundClaims = false; // keep our claim names (sub, tid, role)
            options.TokenValidationParameters = AccessTokenValidation.Parameters(tokens.Issuer, tokens.Audience, time);
            options.ConfigurationManager = keys;
            options.RefreshOnIssuerKeyNotFound = true;
            options.TimeProvider = time;
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.Request.Headers.Authorization.ToString().Length > AccessTokenValidation.MaxTokenLength + "Bearer ".Length)
                    {
                        context.Fail("The Authorization header is too long.");
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    if (!AccessTokenValidation.TryReadCaller(context.Principal?.Identity as System.Security.Claims.ClaimsIdentity, requireRole: true, out var caller))
                    {
                        context.Fail("The token's sub, tid or role claim is missing or malformed.");
                        return;
                    }

                    // A token outlives its user's erasure by up to its lifetime: refuse it, so nothing is written
                    // under the erased id (one point read of the tombstone per authenticated request).
                    var erasures = context.HttpContext.RequestServices.GetRequiredService<IErasureRegistry>();
                    if (await erasures.IsErasedAsync(caller.TenantId, caller.UserId, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The token's user was erased.");
                    }
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var invalid = context.AuthenticateFailure is not null || context.Request.Headers.Authorization.Count > 0;
                    context.Response.Headers.WWWAuthenticate = invalid ? "Bearer error=\"invalid_token\"" : "Bearer";
                    await Problems.From(invalid
                            ? new Error(ErrorKind.Unauthorized, "invalid_token", "The access token is invalid or expired.")
                            : new Error(ErrorKind.Unauthorized, "token_required", "This endpoint needs an access token (Authorization: Bearer)."))
                        .ExecuteAsync(context.HttpContext);
                },
            };
        }
    }
}
