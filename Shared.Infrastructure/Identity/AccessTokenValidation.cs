using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// The one definition of what a valid token of ours is, used by JwtBearer (requests) and by
/// <see cref="JwtAccessTokens.ValidateAsync"/> and <see cref="UpgradeLinkTokens"/>: signature (HS256 only), issuer,
/// audience, lifetime by the injected clock, and well-formed claims.
/// </summary>
public static class AccessTokenValidation
{
    public const int MaxTokenLength = 4096;

    /// <summary>
    /// Validation parameters without keys (JwtBearer adds them per request from <see cref="AccessTokenKeySource"/>).
    /// Lifetime is checked by <paramref name="time"/>: IdentityModel 8.x's own check reads the machine's clock (its
    /// TimeProvider property is not public), so a validator delegate replaces it. The handler's other clock read, the
    /// signing key's certificate lifetime, is off (ValidateIssuerSigningKey is false; these are symmetric keys).
    /// </summary>
    public static TokenValidationParameters Parameters(string issuer, string audience, TimeProvider time) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (notBefore, expires, _, p) => IsWithinLifetime(notBefore, expires, p.ClockSkew, time),
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        NameClaimType = TokenClaims.Subject,
        RoleClaimType = TokenClaims.Role,
    };

    public static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp > now - skew && (notBefore is not { } nbf || nbf <= now + skew);
    }

    /// <summary>
    /// The caller a validly signed access token names, or null when a claim is missing or malformed (a token we did not
    /// issue in this shape is refused as a whole, 401, rather than failing later: a malformed <c>sub</c> must never
    /// reach an endpoint).
    /// </summary>
    public static bool TryReadCaller(ClaimsIdentity? identity, bool requireRole, [NotNullWhen(true)] out TokenCaller? caller)
    {
        caller = null;
        if (identity is null
            || !TryGetSingle(identity, TokenClaims.Subject, out var sub) || !UserId.TryParse(sub, out var userId)
            || !TryGetSingle(identity, TokenClaims.Tenant, out var tid) || !TenantId.TryParse(tid, out var tenantId))
        {
            return false;
        }

        // One claim per role (a user may hold several); every one must be a role we know, none repeated.
        var roles = new List<Role>();
        foreach (var claim in identity.FindAll(TokenClaims.Role))
        {
            if (!RoleNames.TryParse(claim.Value, out var parsed) || roles.Contains(parsed))
            {
                return false;
            }

            roles.Add(parsed);
        }

        if (requireRole && roles.Count == 0)
        {
            return false;
        }

        caller = new TokenCaller(tenantId.Value, userId.Value, roles);
        return true;
    }

    private static bool TryGetSingle(ClaimsIdentity identity, string type, [NotNullWhen(true)] out string? value)
    {
        value = null;
        var claims = identity.FindAll(type).Take(2).ToList();
        if (claims.Count != 1)
        {
            return false;
        }

        value = claims[0].Value;
        return true;
    }
}
