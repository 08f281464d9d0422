using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Identity;

public sealed class TokenOptions
{
    public string Issuer { get; set; } = "serverless-backend";

    public string Audience { get; set; } = "serverless-api";

    public int LifetimeSeconds { get; set; } = 900;

    /// <summary>Issued tokens kept for reuse per instance; beyond this the least recently used are dropped (and re-signed when asked for again).</summary>
    public int CachedTokens { get; set; } = 20_000;
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
/// Every instant here (issue, reuse, renewal, validation) comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class JwtAccessTokens : IAccessTokenIssuer, IDisposable
{
    private const int MinimumKeyBytes = 32;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ISecretProvider _secrets;
    private readonly TokenOptions _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _issued;
    private volatile CachedKey? _signingKey;

    public JwtAccessTokens(ISecretProvider secrets, TokenOptions options, TimeProvider time)
    {
        _secrets = secrets;
        _options = options;
        _time = time;
        // Its own cache, on the injected clock and with its own size budget: reuse and renewal follow the same clock as
        // the tokens' lifetimes whatever cache the app shares, and a burst of sign-ins cannot evict tenant or user entries.
        _issued = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(time), SizeLimit = Math.Max(1, options.CachedTokens) });
    }

    public async Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken)
    {
        var key = await SigningKeyAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var cacheKey = (tenantId.Value, userId.Value, role, key);
        // The entry's own expiry is only housekeeping; the decision is this comparison, so a token past its renewal
        // instant by the injected clock is never handed out, whatever the cache holds.
        if (_issued.TryGetValue(cacheKey, out IssuedToken? issued) && issued!.RenewAfter > now)
        {
            return new AccessToken(issued.Value, (int)(issued.Expires - now).TotalSeconds);
        }

        var token = Sign(key, tenantId, userId, role, now.UtcDateTime);
        var fresh = new IssuedToken(token, now.AddSeconds(_options.LifetimeSeconds), now.AddSeconds(_options.LifetimeSeconds * 2 / 3.0));
        _issued.Set(cacheKey, fresh, new MemoryCacheEntryOptions { AbsoluteExpiration = fresh.RenewAfter, Size = 1 });
        return new AccessToken(token, _options.LifetimeSeconds);
    }

    private string Sign(SecurityKey key, TenantId tenantId, UserId userId, Role role, DateTime now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(_options.LifetimeSeconds),
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
        if (await _secrets.FindAsync(SecretNames.JwtSigningKeyPrevious, cancellationToken) is { } previous)
        {
            keys.Add(ToKey(previous));
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            // Replaces the handler's own lifetime check, which reads the machine's clock (8.x has no public TimeProvider
            // here). The handler's other clock read, the signing key's certificate lifetime, is off (ValidateIssuerSigningKey).
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
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
        var raw = await _secrets.GetAsync(SecretNames.JwtSigningKey, cancellationToken);
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

    public void Dispose() => _issued.Dispose();

    private sealed record CachedKey(string Raw, SecurityKey Key);

    private sealed record IssuedToken(string Value, DateTimeOffset Expires, DateTimeOffset RenewAfter);
}
