using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Users;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Identity;

public sealed class TokenOptions
{
    public string Issuer { get; set; } = "serverless-backend";

    public string Audience { get; set; } = "serverless-api";

    public int LifetimeSeconds { get; set; } = 900;
}

/// <summary>Claim names in our tokens.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tid";
    public const string Role = "role";
}

/// <summary>
/// HS256 access tokens signed with the <c>jwt-signing-key</c> secret. Validation also accepts
/// <c>jwt-signing-key-previous</c>, so the key can be rotated without logging everyone out.
/// </summary>
public sealed class JwtAccessTokens(ISecretProvider secrets, TokenOptions options, TimeProvider time) : IAccessTokenIssuer
{
    private const int MinimumKeyBytes = 32;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private volatile CachedKey? _signingKey;

    public async Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken)
    {
        var key = await SigningKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(options.LifetimeSeconds),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [TokenClaims.Subject] = userId.Value,
                [TokenClaims.Tenant] = tenantId.Value,
                [TokenClaims.Role] = role.ToClaim(),
            },
        };
        return new AccessToken(_handler.CreateToken(descriptor), options.LifetimeSeconds);
    }

    /// <summary>The token's identity when its signature, issuer, audience and lifetime are valid; otherwise null.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        List<SecurityKey> keys = [await SigningKeyAsync(cancellationToken)];
        if (await secrets.FindAsync(SecretNames.JwtSigningKeyPrevious, cancellationToken) is { } previous)
        {
            keys.Add(ToKey(previous));
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp > now - p.ClockSkew && (notBefore is not { } nbf || nbf <= now + p.ClockSkew);
            },
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = TokenClaims.Subject,
            RoleClaimType = TokenClaims.Role,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    private async ValueTask<SecurityKey> SigningKeyAsync(CancellationToken cancellationToken)
    {
        var raw = await secrets.GetAsync(SecretNames.JwtSigningKey, cancellationToken);
        var cached = _signingKey;
        if (cached is not null && cached.Raw == raw)
        {
            return cached.Key;
        }

        var key = ToKey(raw);
        _signingKey = new CachedKey(raw, key);
        return key;
    }

    private static SymmetricSecurityKey ToKey(string raw)
    {
        var bytes = Encoding.UTF8.GetBytes(raw);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException($"The JWT signing key must be at least {MinimumKeyBytes} bytes.");
        }

        return new SymmetricSecurityKey(bytes);
    }

    private sealed record CachedKey(string Raw, SecurityKey Key);
}
