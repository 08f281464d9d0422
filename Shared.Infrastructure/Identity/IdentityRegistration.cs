using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Identity;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Identity;

/// <summary>Access tokens, upgrade-link tokens and the verification of identify's ID tokens.</summary>
public static class IdentityRegistration
{
    public static IServiceCollection AddTokens(this IServiceCollection services, BackendContext backend)
    {
        services.AddSingleton(backend.Options<TokenOptions>("Tokens"));
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton(sp => new JwtAccessTokens(sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<TokenOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAccessTokenIssuer>(sp => sp.GetRequiredService<JwtAccessTokens>());
        services.AddSingleton<AccessTokenKeySource>();
        services.AddSingleton<UpgradeLinkTokens>();
        services.AddSingleton<IUpgradeLinkIssuer>(sp => sp.GetRequiredService<UpgradeLinkTokens>());

        // Identify's id_token: the tenant's OpenID Connect issuer (discovery document and JWKS, cached per metadata URL).
        services.AddHttpClient(OidcIdTokenVerifier.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IIdTokenVerifier, OidcIdTokenVerifier>();
        return services;
    }
}
