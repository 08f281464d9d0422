using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TestSupport;

/// <summary>
/// An OpenID Connect issuer made by the test: an RSA key pair of its own, a discovery document and JWKS served by a
/// small Kestrel server on 127.0.0.1 (a real HTTP server, so the app's ConfigurationManager fetches and caches them as
/// it would Google's), and ID tokens minted at the instants the test names.
/// </summary>
public sealed class LocalOidcIssuer : IAsyncDisposable
{
    public const string Audience = TestTenants.OidcAudience;
    private static readonly string[] ResponseTypes = ["id_token"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] Algorithms = ["RS256"];
    private readonly WebApplication _server;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private volatile RsaSecurityKey _current;
    private int _jwksRequests;

    private LocalOidcIssuer(WebApplication server, RsaSecurityKey key)
    {
        _server = server;
        _current = key;
    }

    public string Issuer { get; private set; } = "";

    public string MetadataUrl => Issuer + "/.well-known/openid-configuration";

    /// <summary>How often the JWKS was fetched (the app caches it).</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<LocalOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        var issuer = new LocalOidcIssuer(server, NewKey());
        server.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/jwks",
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = Algorithms,
        }));
        server.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref issuer._jwksRequests);
            var key = issuer._current;
            var parameters = key.Rsa.ExportParameters(false);
            return Results.Json(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = key.KeyId, ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        issuer.Issuer = address.TrimEnd('/');
        return issuer;
    }

    /// <summary>A new signing key replaces the published one (the issuer rotated its keys).</summary>
    public void RotateKey() => _current = NewKey();

    /// <summary>A key this issuer never published: tokens signed with it are forgeries.</summary>
    public static RsaSecurityKey ForeignKey() => NewKey();

    /// <summary>An ID token issued at <paramref name="issuedAt"/> (the test's clock), valid for an hour unless told otherwise.</summary>
    public string Mint(
        string? email,
        DateTimeOffset issuedAt,
        bool? emailVerified = true,
        string? audience = Audience,
        TimeSpan? lifetime = null,
        string? issuer = null,
        RsaSecurityKey? signingKey = null,
        string? subject = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject ?? "sub-" + (email ?? "none") };
        if (email is not null)
        {
            claims["email"] = email;
        }

        if (emailVerified is { } verified)
        {
            claims["email_verified"] = verified;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey ?? _current, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = "test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) };
}
