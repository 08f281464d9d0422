using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// HS256 access tokens signed with the <c>jwt-signing-key</c> secret (<see cref="SigningKeyRing"/>). Requests are
/// validated by ASP.NET Core's JwtBearer with the same parameters (<see cref="AccessTokenValidation"/>) and keys
/// (<see cref="AccessTokenKeySource"/>: current and previous, so the key can be rotated without logging everyone out).
/// A user who calls often (identify runs on every use) gets the same token back until two thirds of its lifetime
/// have passed, with <c>expires_in</c> counting down, instead of a freshly signed one each time.
/// Every instant here (issue, reuse, renewal, validation) comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class JwtAccessTokens : IAccessTokenIssuer, IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningKeyRing _keys;
    private readonly TokenOptions _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _issued;

    public JwtAccessTokens(ISecretProvider secrets, TokenOptions options, TimeProvider time)
        : this(new SigningKeyRing(secrets), options, time)
    {
    }

    public JwtAccessTokens(SigningKeyRing keys, TokenOptions options, TimeProvider time)
    {
        _keys = keys;
        _options = options;
        _time = time;
        // Its own cache, on the injected clock and with its own size budget: reuse and renewal follow the same clock as
        // the tokens' lifetimes whatever cache the app shares, and a burst of sign-ins cannot evict tenant or user entries.
        _issued = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(time), SizeLimit = Math.Max(1, options.CachedTokens) });
    }

    public async Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, IReadOnlyCollection<Role> roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var key = (await _keys.GetAsync(cancellationToken)).AccessSigning;
        var now = _time.GetUtcNow();
        // Every account is a user; the claims are sorted and distinct so one set of roles is one cached token.
        var claims = roles.Append(Role.User).Distinct().Order().Select(r => r.ToClaim()).ToArray();
        var cacheKey = (tenantId.Value, userId.Value, string.Join(' ', claims), key);
        // The entry's own expiry is only housekeeping; the decision is this comparison, so a token past its renewal
        // instant by the injected clock is never handed out, whatever the cache holds.
        if (_issued.TryGetValue(cacheKey, out IssuedToken? issued) && issued!.RenewAfter > now)
        {
            return new AccessToken(issued.Value, (int)(issued.Expires - now).TotalSeconds);
        }

        var token = Sign(key, tenantId, userId, claims, now.UtcDateTime);
        var fresh = new IssuedToken(token, now.AddSeconds(_options.LifetimeSeconds), now.AddSeconds(_options.LifetimeSeconds * 2 / 3.0));
        _issued.Set(cacheKey, fresh, new MemoryCacheEntryOptions { AbsoluteExpiration = fresh.RenewAfter, Size = 1 });
        _issued.Set(LatestKey(tenantId, userId, key), fresh, new MemoryCacheEntryOptions { AbsoluteExpiration = fresh.RenewAfter, Size = 1 });
        return new AccessToken(token, _options.LifetimeSeconds);
    }

    public async Task<AccessToken?> TryReuseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var key = (await _keys.GetAsync(cancellationToken)).AccessSigning;
        var now = _time.GetUtcNow();
        return _issued.TryGetValue(LatestKey(tenantId, userId, key), out IssuedToken? issued) && issued!.RenewAfter > now
            ? new AccessToken(issued.Value, (int)(issued.Expires - now).TotalSeconds)
            : null;
    }

    private static (string, string, string, SecurityKey) LatestKey(TenantId tenantId, UserId userId, SecurityKey key) => ("latest", tenantId.Value, userId.Value, key);

    /// <summary>The interface's single-role overload, also on the class (tests hold the concrete type).</summary>
    public Task<AccessToken> IssueAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) =>
        IssueAsync(tenantId, userId, [role], cancellationToken);

    private string Sign(SecurityKey key, TenantId tenantId, UserId userId, string[] roles, DateTime now)
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
                [TokenClaims.Role] = roles, // a JSON array: one role claim per element
            },
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>
    /// The token's identity when its signature, issuer, audience, lifetime and claims are valid; otherwise null. The
    /// same rules JwtBearer applies to requests, for callers outside a request (and tests).
    /// </summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > AccessTokenValidation.MaxTokenLength)
        {
            return null;
        }

        var parameters = AccessTokenValidation.Parameters(_options.Issuer, _options.Audience, _time);
        parameters.IssuerSigningKeys = (await _keys.GetAsync(cancellationToken)).AccessValidation;
        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid && AccessTokenValidation.TryReadCaller(result.ClaimsIdentity, requireRole: true, out _) ? result.ClaimsIdentity : null;
    }

    public void Dispose() => _issued.Dispose();

    private sealed record IssuedToken(string Value, DateTimeOffset Expires, DateTimeOffset RenewAfter);
}
