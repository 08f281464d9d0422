using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;

namespace Functions.Api.Auth;

/// <summary>
/// A LOCAL STAND-IN for Google's OpenID Connect issuer, so a newcomer can try proof-before-linking with <c>./run.sh</c>:
/// a discovery document, its JWKS (an RSA key made when the app starts, kept in memory), and
/// <c>POST /api/dev/oidc/token {email}</c>, which signs an ID token for any email without asking anything. That is
/// exactly why it exists only in the Development environment (<see cref="IsAvailableIn"/>): mapped nowhere else, and
/// the demo tenant (config/tenants.demo.json) is the only one that trusts it.
/// </summary>
public sealed class DevIdentityProvider : IDisposable
{
    public const string PathPrefix = "/api/dev/oidc";
    public const string DefaultAudience = "local-demo-extension";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public DevIdentityProvider(IConfiguration configuration, TimeProvider time)
    {
        _time = time;
        _key = new RsaSecurityKey(_rsa) { KeyId = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) };
        Issuer = configuration["DevIdentityProvider:Issuer"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"http://127.0.0.1:{CustomHandlerHosting.ListenPort(configuration, ApiApp.DefaultPort)}{PathPrefix}";
    }

    /// <summary>The <c>iss</c> of its tokens (<c>DevIdentityProvider:Issuer</c>, default <c>http://127.0.0.1:&lt;port&gt;/api/dev/oidc</c>).</summary>
    public string Issuer { get; }

    /// <summary>Only in Development: never in Production, Staging or any other environment.</summary>
    public static bool IsAvailableIn(IHostEnvironment environment) => environment.IsDevelopment();

    public Dictionary<string, object> Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = Issuer + "/jwks",
        ["token_endpoint"] = Issuer + "/token",
        ["response_types_supported"] = new[] { "id_token" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        ["claims_supported"] = new[] { "sub", "email", "email_verified" },
    };

    public Dictionary<string, object> Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = SecurityAlgorithms.RsaSha256,
                    ["kid"] = _key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        };
    }

    public Result<Dictionary<string, object>> Mint(DevTokenRequest request)
    {
        if (!EmailAddress.TryParse(request.Email, out var email))
        {
            return Error.Validation("email", "Must be an email address.");
        }

        var audience = request.Audience ?? DefaultAudience;
        if (audience.Length is 0 or > 256)
        {
            return Error.Validation("audience", "1 to 256 characters.");
        }

        var now = _time.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "dev-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Value.Value)))[..20],
                ["email"] = email.Value.Value,
                ["email_verified"] = request.EmailVerified ?? true,
            },
        });
        return new Dictionary<string, object> { ["id_token"] = token, ["expires_in"] = (int)Lifetime.TotalSeconds, ["issuer"] = Issuer };
    }

    public void Dispose() => _rsa.Dispose();
}
