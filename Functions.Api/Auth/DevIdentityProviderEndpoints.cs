using Functions.Api.Http;
using Shared.Infrastructure.Hosting;

namespace Functions.Api.Auth;

/// <summary>The development-only local issuer's endpoints (see <see cref="DevIdentityProvider"/>).</summary>
public static class DevIdentityProviderEndpoints
{
    public static void MapDevIdentityProvider(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup(DevIdentityProvider.PathPrefix).AllowAnonymous().AllowWithoutStore().WithTags("Development only: local OpenID Connect issuer");
        dev.MapGet("/.well-known/openid-configuration", (DevIdentityProvider issuer) => TypedResults.Json(issuer.Discovery()))
            .WithName("DevOidcDiscovery").WithSummary("DEVELOPMENT ONLY: discovery document of the local stand-in for Google's issuer.");
        dev.MapGet("/jwks", (DevIdentityProvider issuer) => TypedResults.Json(issuer.Jwks()))
            .WithName("DevOidcJwks").WithSummary("DEVELOPMENT ONLY: the local issuer's signing key (made at start).");
        dev.MapPost("/token", async (HttpContext http, DevIdentityProvider issuer, CancellationToken cancellationToken) =>
            {
                var body = await JsonBody.ReadAsync<DevTokenRequest>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
                if (!body.IsSuccess)
                {
                    return (IResult)Problems.From(body.Error!);
                }

                var minted = issuer.Mint(body.Value);
                return minted.IsSuccess ? TypedResults.Json(minted.Value) : Problems.From(minted.Error!);
            })
            .WithName("DevOidcToken").WithSummary("DEVELOPMENT ONLY: signs an ID token for any {email} (no password: never mapped outside Development).")
            .Accepts<DevTokenRequest>("application/json");
    }
}
