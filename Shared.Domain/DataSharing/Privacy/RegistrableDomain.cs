using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// A site as the Data Sharing Program counts it: the registrable domain ("eTLD+1") of a host, lowercase, in ASCII
/// (internationalized labels in punycode). <c>docs.example.co.uk</c> → <c>example.co.uk</c>; <c>a.b.github.io</c> →
/// <c>b.github.io</c>. Paths, queries, ports, user info and subdomains never survive the reduction, so nothing a page
/// address carries about a person (an email in a query, a profile path) reaches the aggregates.
/// </summary>
public readonly record struct RegistrableDomain
{
    /// <summary>DNS's limit on a whole name.</summary>
    public const int MaxHostLength = 253;

    /// <summary>Submitted values longer than this are refused before any parsing (a URL, path and query included).</summary>
    public const int MaxInputLength = 2048;

    private const int MaxLabelLength = 63;

    // RFC 6761 (localhost, test, invalid, example, local via RFC 6762), RFC 7686 (onion), RFC 8375 (home.arpa, and all
    // of arpa: reverse-DNS names are addresses), RFC 9476 (alt), and ICANN's reservation of "internal" for private use.
    private static readonly HashSet<string> SpecialUseTopLevelDomains = new(StringComparer.Ordinal)
    {
        "localhost", "local", "test", "invalid", "example", "onion", "arpa", "alt", "internal",
    };

    private static readonly IdnMapping Idn = new();

    private static readonly System.Buffers.SearchValues<char> NotInABareHost = System.Buffers.SearchValues.Create("/?#@:\\ ");

    private RegistrableDomain(string value) => Value = value;

    public string Value { get; }

    /// <summary>Reduces a bare host name or an http(s) URL with the shipped Public Suffix List.</summary>
    public static bool TryParse(string? hostOrUrl, [NotNullWhen(true)] out RegistrableDomain? domain, out SiteRefusal refusal) =>
        TryParse(hostOrUrl, PublicSuffixList.Default, out domain, out refusal);

    public static bool TryParse(string? hostOrUrl, PublicSuffixList suffixes, [NotNullWhen(true)] out RegistrableDomain? domain, out SiteRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(suffixes);
        domain = null;
        refusal = Reduce(hostOrUrl, suffixes, out var value);
        if (refusal != SiteRefusal.None)
        {
            return false;
        }

        domain = new RegistrableDomain(value!);
        return true;
    }

    public static RegistrableDomain Parse(string hostOrUrl) =>
        TryParse(hostOrUrl, out var domain, out var refusal) ? domain.Value : throw new ArgumentException($"'{hostOrUrl}' has no registrable domain ({refusal}).", nameof(hostOrUrl));

    public override string ToString() => Value;

    private static SiteRefusal Reduce(string? input, PublicSuffixList suffixes, out string? value)
    {
        value = null;
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxInputLength)
        {
            return SiteRefusal.Malformed;
        }

        string host;
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
            {
                return SiteRefusal.Malformed;
            }

            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            {
                return SiteRefusal.UnsupportedScheme;
            }

            if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            {
                return SiteRefusal.IpAddress;
            }

            host = uri.Host;
        }
        else
        {
            if (trimmed.StartsWith('[') || trimmed.Count(c => c == ':') >= 2)
            {
                return SiteRefusal.IpAddress; // a bare IPv6 address, bracketed or not
            }

            // A bare value must be a host name alone: "user@host", "host:port" and "host/path" are refused, not guessed at.
            if (trimmed.AsSpan().IndexOfAny(NotInABareHost) >= 0)
            {
                return SiteRefusal.Malformed;
            }

            host = trimmed;
        }

        return ReduceHost(host, suffixes, out value);
    }

    private static SiteRefusal ReduceHost(string host, PublicSuffixList suffixes, out string? value)
    {
        value = null;
        if (host.EndsWith('.'))
        {
            host = host[..^1]; // the fully qualified form names the same host
        }

        if (host.Length == 0)
        {
            return SiteRefusal.Malformed;
        }

        if (!host.All(char.IsAscii))
        {
            try
            {
                // UTS #46 mapping (case folding, normalization) and punycode, the same form browsers send as the host.
                host = Idn.GetAscii(host);
            }
            catch (ArgumentException)
            {
                return SiteRefusal.Malformed;
            }
        }

        host = host.ToLowerInvariant();
        if (host.Length > MaxHostLength)
        {
            return SiteRefusal.Malformed;
        }

        var labels = host.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength || !label.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return SiteRefusal.Malformed;
            }
        }

        // The URL Standard reads a host whose last label is a number (decimal or 0x-hex) as an IPv4 address.
        if (IsNumber(labels[^1]))
        {
            return SiteRefusal.IpAddress;
        }

        if (SpecialUseTopLevelDomains.Contains(labels[^1]))
        {
            return SiteRefusal.SpecialUse;
        }

        if (!suffixes.TryGetPublicSuffix(host, out var publicSuffix))
        {
            return SiteRefusal.UnlistedTopLevelDomain;
        }

        if (publicSuffix.Length >= host.Length)
        {
            return SiteRefusal.PublicSuffix;
        }

        var start = host.LastIndexOf('.', host.Length - publicSuffix.Length - 2) + 1;
        value = host[start..];
        return SiteRefusal.None;
    }

    private static bool IsNumber(string label) =>
        label.All(char.IsAsciiDigit)
        || (label.Length >= 2 && label.StartsWith("0x", StringComparison.Ordinal) && label[2..].All(char.IsAsciiHexDigit));
}
