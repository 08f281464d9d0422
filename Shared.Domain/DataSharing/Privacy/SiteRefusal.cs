namespace Shared.Domain.DataSharing.Privacy;

/// <summary>Why a submitted site has no registrable domain that may be counted.</summary>
public enum SiteRefusal
{
    None,

    /// <summary>Empty, too long, not a host name or http(s) URL, or a label that is empty, too long or has a character a host cannot have.</summary>
    Malformed,

    /// <summary>A URL whose scheme is not http or https (<c>chrome-extension://</c>, <c>file://</c>, <c>mailto:</c>).</summary>
    UnsupportedScheme,

    /// <summary>An IPv4 or IPv6 address: it names a machine, not a site, and often a person's own.</summary>
    IpAddress,

    /// <summary><c>localhost</c> and special-use names (RFC 6761, RFC 7686, RFC 8375: <c>.local</c>, <c>.test</c>, <c>.onion</c>, <c>home.arpa</c>, ...).</summary>
    SpecialUse,

    /// <summary>A top-level domain on no rule of the Public Suffix List (an intranet name, or a TLD newer than the shipped list).</summary>
    UnlistedTopLevelDomain,

    /// <summary>The host is itself a public suffix (<c>co.uk</c>, <c>github.io</c>): nobody owns it, so it is no site.</summary>
    PublicSuffix,
}
