using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Infrastructure.Hosting;

namespace Functions.Api.Auth;

/// <summary>The development-only local issuer's endpoints (see <see cref="DevIdentityProvider"/>).</summary>
public static class DevIdentityProviderEndpoints
{
    public static void MapDevIdentityProvider(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup(DevIdentityProvider.PathPrefix).AllowAnonymous().AllowWithoutStore().WithTags("Development only: local OpenID Connect issuer");
        dev.MapGet("/.well-known/openid-configuration", Discovery)
            .WithName("DevOidcDiscovery").WithSummary("DEVELOPMENT ONLY: discovery document of the local stand-in for Google's issuer.");
        dev.MapGet("/jwks", Jwks)
            .WithName("DevOidcJwks").WithSummary("DEVELOPMENT ONLY: the local issuer's signing key (made at start).");
        dev.MapPost("/token", MintAsync)
            .WithName("DevOidcToken").WithSummary("DEVELOPMENT ONLY: signs an ID token for any {email} (no password: never mapped outside Development).")
            .Accepts<DevTokenRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static JsonHttpResult<Dictionary<string, object>> Discovery(DevIdentityProvider issuer) => TypedResults.Json(issuer.Discovery());

    private static JsonHttpResult<Dictionary<string, object>> Jwks(DevIdentityProvider issuer) => TypedResults.Json(issuer.Jwks());

    private static async Task<Results<JsonHttpResult<Dictionary<string, object>>, ProblemHttpResult>> MintAsync(HttpContext http, DevIdentityProvider issuer, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DevTokenRequest>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        var minted = issuer.Mint(body.Value);
        return Problems.Map(minted, token => TypedResults.Json(token));
    }
}
