using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// The token in upgrade links (identify's <c>upgrade_url</c>, the pricing page's checkout links): a compact JWT naming
/// the user (<c>sub</c>) and tenant (<c>tid</c>) with <c>purpose: upgrade</c>, its own audience
/// (<see cref="TokenOptions.LinkAudience"/>), a short lifetime (<see cref="TokenOptions.LinkLifetimeSeconds"/>), signed
/// with a key derived from the app's signing key for this purpose only (<see cref="SigningKeyRing"/>). Holding an
/// expired link or a guessed user id gives nothing; a link token is never accepted as an access token, nor the reverse.
/// Like access tokens, a user's link is reused until two thirds of its lifetime have passed (identify asks on every use).
/// </summary>
public sealed class UpgradeLinkTokens : IUpgradeLinkIssuer, IDisposable
{
    public const string UpgradePurpose = "upgrade";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningKeyRing _keys;
    private readonly TokenOptions _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _issued;

    public UpgradeLinkTokens(SigningKeyRing keys, TokenOptions options, TimeProvider time)
    {
        _keys = keys;
        _options = options;
        _time = time;
        _issued = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(time), SizeLimit = Math.Max(1, options.CachedTokens) });
    }

    public async Task<string> IssueAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var key = (await _keys.GetAsync(cancellationToken)).LinkSigning;
        var now = _time.GetUtcNow();
        var cacheKey = (tenantId.Value, userId.Value, key);
        if (_issued.TryGetValue(cacheKey, out Issued? issued) && issued!.RenewAfter > now)
        {
            return issued.Value;
        }

        var lifetime = TimeSpan.FromSeconds(Math.Max(1, _options.LinkLifetimeSeconds));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.LinkAudience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [TokenClaims.Subject] = userId.Value,
                [TokenClaims.Tenant] = tenantId.Value,
                [TokenClaims.Purpose] = UpgradePurpose,
            },
        });
        var fresh = new Issued(token, now + (lifetime * 2 / 3));
        _issued.Set(cacheKey, fresh, new MemoryCacheEntryOptions { AbsoluteExpiration = fresh.RenewAfter, Size = 1 });
        return token;
    }

    /// <summary>The user and tenant a valid, unexpired upgrade-link token names; null for anything else.</summary>
    public async Task<TokenCaller?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > AccessTokenValidation.MaxTokenLength)
        {
            return null;
        }

        var parameters = AccessTokenValidation.Parameters(_options.Issuer, _options.LinkAudience, _time);
        parameters.IssuerSigningKeys = (await _keys.GetAsync(cancellationToken)).LinkValidation;
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid
            || result.ClaimsIdentity.FindAll(TokenClaims.Purpose).Select(c => c.Value).ToList() is not [UpgradePurpose]
            || !AccessTokenValidation.TryReadCaller(result.ClaimsIdentity, requireRole: false, out var caller)
            || caller.Roles.Count > 0)
        {
            return null;
        }

        return caller;
    }

    public void Dispose() => _issued.Dispose();

    private sealed record Issued(string Value, DateTimeOffset RenewAfter);
}
