using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// Validates identify's <c>id_token</c> against the tenant's OpenID Connect issuer with Microsoft.IdentityModel: one
/// <see cref="ConfigurationManager{T}"/> per metadata URL fetches the discovery document and the JWKS, caches them
/// (refreshed every 12 h, and at once, at most every 5 min, when a token names a key it does not know: the issuer
/// rotated), and keeps the last good keys when a refresh fails. The token must be signed by one of those keys with an
/// asymmetric algorithm, name the configured issuer and one of the tenant's audiences, be within its lifetime by the
/// app's injected clock, and carry an <c>email</c> with <c>email_verified: true</c> (when the tenant requires it, the
/// default) that passes <see cref="EmailAddress"/>'s rule. The refresh schedule itself runs on the library's own clock
/// (its TimeProvider is not public); only when keys are fetched depends on it, never whether a token is valid.
/// </summary>
public sealed class OidcIdTokenVerifier(IHttpClientFactory httpClients, TimeProvider time, ILogger<OidcIdTokenVerifier> logger) : IIdTokenVerifier
{
    public const string HttpClientName = "oidc";
    public const int MaxIdTokenLength = 8192;

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new(StringComparer.Ordinal);

    public async Task<Result<VerifiedIdentity>> VerifyAsync(Tenant tenant, string idToken, CancellationToken cancellationToken)
    {
        if (tenant.IdentityProvider is not { } provider)
        {
            return new Error(ErrorKind.Validation, "identity_provider_not_configured", "This tenant accepts no id_token: it has no identity provider configured.");
        }

        if (idToken.Length is 0 or > MaxIdTokenLength)
        {
            return Invalid("The id_token is empty or too long.");
        }

        var manager = _managers.GetOrAdd(provider.MetadataUrl, CreateManager);
        try
        {
            // Fetch (or reuse) the issuer's keys first, so that an unreachable issuer is told apart from a bad token.
            await manager.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The identity provider of tenant {TenantId} ({MetadataUrl}) could not be read", tenant.Id, provider.MetadataUrl);
            return new Error(ErrorKind.Unavailable, "identity_provider_unavailable", "The sign-in provider's keys cannot be fetched right now; try again shortly.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = [.. provider.AllIssuers],
            ValidAudiences = provider.Audiences,
            ValidAlgorithms = AsymmetricAlgorithms,
            // With the manager set, the handler takes the keys from it and, for a key it does not know, asks for a
            // refresh and tries again (key rotation at the issuer).
            ConfigurationManager = manager,
            ClockSkew = TimeSpan.FromMinutes(1),
            LifetimeValidator = (notBefore, expires, _, p) => AccessTokenValidation.IsWithinLifetime(notBefore, expires, p.ClockSkew, time),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(idToken, parameters);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException)
        {
            return Invalid("The id_token is malformed.");
        }

        if (!result.IsValid)
        {
            logger.LogInformation("An id_token for tenant {TenantId} was refused: {Reason}", tenant.Id, result.Exception?.GetType().Name);
            return Invalid("The id_token is not valid for this service (signature, issuer, audience or lifetime).");
        }

        var claims = result.ClaimsIdentity;
        var subject = Single(claims, "sub");
        if (string.IsNullOrEmpty(subject))
        {
            return Invalid("The id_token names no subject.");
        }

        if (provider.RequireEmailVerified && !IsTrue(Single(claims, "email_verified")))
        {
            return Invalid("The id_token's email is not verified by the sign-in provider.");
        }

        if (!EmailAddress.TryParse(Single(claims, "email"), out var email))
        {
            return Invalid("The id_token carries no email address this service accepts.");
        }

        return new VerifiedIdentity(Single(claims, "iss") ?? provider.Issuer, subject, email.Value);
    }

    private ConfigurationManager<OpenIdConnectConfiguration> CreateManager(string metadataUrl)
    {
        // https only, except a loopback issuer (a local stand-in such as the API's development issuer or a test's).
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = !IdentityProvider.IsLoopback(new Uri(metadataUrl)) };
        return new ConfigurationManager<OpenIdConnectConfiguration>(metadataUrl, new OpenIdConnectConfigurationRetriever(), retriever);
    }

    private static string? Single(ClaimsIdentity identity, string type) =>
        identity.FindAll(type).Select(c => c.Value).ToList() is [var only] ? only : null;

    // Google writes a JSON boolean; some issuers write the string "true".
    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static Error Invalid(string detail) => new(ErrorKind.Unauthorized, "invalid_id_token", detail);
}
