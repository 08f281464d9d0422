using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// Feeds JwtBearer the current and previous access-token keys. JwtBearer asks its configuration manager for issuer
/// and keys on every request (asynchronously, which the secret provider needs), and asks it to refresh when a token's
/// key is not found: here that forgets the secret provider's cached keys, at most once a minute by the injected clock,
/// because every forged token looks like that and must not cost a Key Vault read.
/// </summary>
public sealed class AccessTokenKeySource(SigningKeyRing keys, TokenOptions options, TimeProvider time) : IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private SigningKeys? _built;
    private OpenIdConnectConfiguration? _configuration;
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private bool _refreshRequested;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_refreshRequested)
            {
                _refreshRequested = false;
                keys.Invalidate();
            }
        }

        var current = await keys.GetAsync(cancel);
        lock (_gate)
        {
            if (_configuration is null || !ReferenceEquals(_built, current))
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = options.Issuer };
                foreach (var key in current.AccessValidation)
                {
                    configuration.SigningKeys.Add(key);
                }

                _built = current;
                _configuration = configuration;
            }

            return _configuration;
        }
    }

    public void RequestRefresh()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastRefresh >= MinimumRefreshInterval)
            {
                _lastRefresh = now;
                _refreshRequested = true;
            }
        }
    }
}
