using Shared.Domain.Tenants;

namespace Shared.Infrastructure.Tenants;

/// <summary>
/// A tenant's <c>identity_provider</c> in the tenants file and the store: the OpenID Connect issuer whose ID tokens
/// prove emails (e.g. Google: issuer <c>https://accounts.google.com</c>, audiences = the extension's OAuth client ids).
/// </summary>
public sealed class IdentityProviderDocument
{
    public string Issuer { get; set; } = "";

    /// <summary>Other spellings of the issuer its tokens may carry (Google: <c>accounts.google.com</c>).</summary>
    public List<string> AdditionalIssuers { get; set; } = [];

    /// <summary>Accepted <c>aud</c> values (OAuth client ids).</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>The discovery document; default <c>{issuer}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataUrl { get; set; }

    public bool RequireEmailVerified { get; set; } = true;

    public static IdentityProviderDocument From(IdentityProvider provider) => new()
    {
        Issuer = provider.Issuer,
        AdditionalIssuers = [.. provider.AdditionalIssuers],
        Audiences = [.. provider.Audiences],
        MetadataUrl = provider.MetadataUrl,
        RequireEmailVerified = provider.RequireEmailVerified,
    };

    public IdentityProvider ToIdentityProvider() => new(Issuer, Audiences, MetadataUrl, RequireEmailVerified, AdditionalIssuers);
}
