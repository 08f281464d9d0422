using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
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
/// A user who calls often (identify runs on every use) gets the same token back until two thirds of its lifetime
/// have passed, with <c>expires_in</c> counting down, instead of a freshly signed one each time.
/// </summary>
public sealed class JwtAccessTokens(ISecretProvider secrets, TokenOptions options, TimeProvider time, IMemoryCache cache) : IAccessTokenIssuer
{
    private const int MinimumKeyBytes = 32;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private volatile CachedKey? _signingKey;

    public async Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken)
    {
        var key = await SigningKeyAsync(cancellationToken);
        var now = time.GetUtcNow();
        var cacheKey = ("token", tenantId.Value, userId.Value, role, key);
        if (cache.TryGetValue(cacheKey, out IssuedToken? issued) && issued!.RenewAfter > now)
        {
            return new AccessToken(issued.Value, (int)(issued.Expires - now).TotalSeconds);
        }

        var token = Sign(key, tenantId, userId, role, now.UtcDateTime);
        var fresh = new IssuedToken(token, now.AddSeconds(options.LifetimeSeconds), now.AddSeconds(options.LifetimeSeconds * 2 / 3.0));
        cache.Set(cacheKey, fresh, new MemoryCacheEntryOptions { AbsoluteExpiration = fresh.RenewAfter, Size = 1 });
        return new AccessToken(token, options.LifetimeSeconds);
    }

    private string Sign(SecurityKey key, TenantId tenantId, UserId userId, Role role, DateTime now)
    {
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
        return _handler.CreateToken(descriptor);
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

    private sealed record IssuedToken(string Value, DateTimeOffset Expires, DateTimeOffset RenewAfter);
}
