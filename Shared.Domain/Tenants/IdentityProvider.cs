using System.Net;

namespace Shared.Domain.Tenants;

/// <summary>
/// The OpenID Connect issuer whose ID tokens prove a user's email for this tenant (for the Chrome extension: Google).
/// Only an email in a valid ID token of this issuer, for one of <see cref="Audiences"/>, links an installation to an
/// existing user.
/// </summary>
public sealed record IdentityProvider
{
    public IdentityProvider(string issuer, IReadOnlyList<string> audiences, string? metadataUrl = null, bool requireEmailVerified = true, IReadOnlyList<string>? additionalIssuers = null)
    {
        if (string.IsNullOrWhiteSpace(issuer))
        {
            throw new ArgumentException("The identity provider needs an issuer.", nameof(issuer));
        }

        if (audiences is null || audiences.Count == 0 || audiences.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The identity provider needs at least one accepted audience (the extension's OAuth client id).", nameof(audiences));
        }

        var metadata = metadataUrl ?? issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        if (!IsAllowedMetadataUrl(metadata))
        {
            throw new ArgumentException($"The identity provider's metadata URL '{metadata}' must be an absolute https URL (http only on a loopback address, for a local issuer).", nameof(metadataUrl));
        }

        Issuer = issuer;
        Audiences = [.. audiences];
        MetadataUrl = metadata;
        RequireEmailVerified = requireEmailVerified;
        AdditionalIssuers = [.. additionalIssuers ?? []];
    }

    /// <summary>The <c>iss</c> its ID tokens carry (e.g. <c>https://accounts.google.com</c>).</summary>
    public string Issuer { get; }

    /// <summary>Other spellings of the same issuer that its tokens may carry (Google also uses <c>accounts.google.com</c>).</summary>
    public IReadOnlyList<string> AdditionalIssuers { get; }

    /// <summary>Accepted <c>aud</c> values: the OAuth client ids of the tenant's own apps.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The OpenID discovery document; its <c>jwks_uri</c> names the signing keys.</summary>
    public string MetadataUrl { get; }

    /// <summary>Only tokens with <c>email_verified: true</c> prove an email (on by default).</summary>
    public bool RequireEmailVerified { get; }

    public IEnumerable<string> AllIssuers => AdditionalIssuers.Prepend(Issuer);

    /// <summary>https, or plain http on a loopback host (a local stand-in issuer such as the API's development one).</summary>
    public static bool IsAllowedMetadataUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
        && (u.Scheme == Uri.UriSchemeHttps || (u.Scheme == Uri.UriSchemeHttp && IsLoopback(u)));

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
