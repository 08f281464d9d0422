using System.Globalization;
using System.Text;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/), parsed: which suffixes of a host name are public (anyone can
/// register under them), so that a host reduces to the part one owner controls (its registrable domain, "eTLD+1").
/// Rules follow the list's published algorithm: labels match from the right, <c>*</c> matches one label, an exception
/// rule (<c>!</c>) wins over everything, otherwise the rule with most labels wins. One deliberate difference: a host whose
/// top-level domain is on no rule is reported as unlisted instead of falling back to the implicit <c>*</c> rule, because
/// such names are intranet or special-use names (<c>printer.lan</c>, <c>johns-laptop.home</c>) that must not be released.
/// Rules are held in their ASCII (punycode) form, so hosts are matched in that form too.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Where the shipped list comes from upstream.</summary>
    public const string SourceUrl = "https://publicsuffix.org/list/public_suffix_list.dat";

    /// <summary>The upstream snapshot shipped with this build (the list's own commit time, as Debian versions it).</summary>
    public const string ShippedVersion = "2023-02-09T23:26Z";

    /// <summary>
    /// How the shipped file was obtained: this environment reaches package registries only, and Debian's package ships
    /// the upstream file unchanged (MPL-2.0 header and ICANN/PRIVATE section markers included).
    /// </summary>
    public const string ShippedFrom = "Debian package publicsuffix 20230209.2326-1 (bookworm), /usr/share/publicsuffix/public_suffix_list.dat";

    /// <summary>SHA-256 of the shipped file; a test checks it, so the provenance above cannot silently drift from the bytes.</summary>
    public const string ShippedSha256 = "87d2e11f3602b504fc5dbea9218429a4ce3c0f62aa6ce7a1371024add024baed";

    internal const string ResourceName = "Shared.Domain.DataSharing.Privacy.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Shipped = new(() => Parse(ReadShippedText(), includePrivateSection: true));

    private static readonly IdnMapping Idn = new();

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcardParents;
    private readonly HashSet<string> _exceptions;
    private readonly HashSet<string> _topLevelDomains;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcardParents, HashSet<string> exceptions, bool includesPrivateSection)
    {
        _rules = rules;
        _wildcardParents = wildcardParents;
        _exceptions = exceptions;
        IncludesPrivateSection = includesPrivateSection;
        _topLevelDomains = [.. rules.Concat(wildcardParents).Concat(exceptions).Select(r => r[(r.LastIndexOf('.') + 1)..])];
        RuleCount = rules.Count + wildcardParents.Count + exceptions.Count;
    }

    /// <summary>
    /// The shipped list, ICANN and private sections both: the private section (<c>github.io</c>, <c>blogspot.com</c>,
    /// <c>*.compute.amazonaws.com</c>) separates sites that different people own under one provider's domain, as browsers do.
    /// </summary>
    public static PublicSuffixList Default => Shipped.Value;

    public bool IncludesPrivateSection { get; }

    public int RuleCount { get; }

    /// <summary>The shipped file's text, exactly as embedded (for provenance checks).</summary>
    public static string ReadShippedText()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Parses the list's text format; a malformed rule is an error of the shipped file, so it throws.</summary>
    public static PublicSuffixList Parse(string text, bool includePrivateSection)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcardParents = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var inPrivateSection = false;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                if (line.Contains("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    inPrivateSection = true;
                }
                else if (line.Contains("===END PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    inPrivateSection = false;
                }

                continue;
            }

            if (inPrivateSection && !includePrivateSection)
            {
                continue;
            }

            // The format says a rule ends at the first whitespace; anything after it is ignored.
            var end = line.IndexOfAny([' ', '\t']);
            var rule = end < 0 ? line : line[..end];
            if (rule.StartsWith('!'))
            {
                exceptions.Add(ToAsciiRule(rule[1..], lineNumber));
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcardParents.Add(ToAsciiRule(rule[2..], lineNumber));
            }
            else
            {
                rules.Add(ToAsciiRule(rule, lineNumber));
            }
        }

        return new PublicSuffixList(rules, wildcardParents, exceptions, includePrivateSection);
    }

    /// <summary>
    /// The public suffix of <paramref name="asciiHost"/> (lowercase, ASCII/punycode labels, no trailing dot), or false
    /// when its top-level domain is on no rule at all.
    /// </summary>
    public bool TryGetPublicSuffix(string asciiHost, out string publicSuffix)
    {
        ArgumentNullException.ThrowIfNull(asciiHost);
        publicSuffix = string.Empty;
        var labels = asciiHost.Split('.');
        if (!_topLevelDomains.Contains(labels[^1]))
        {
            return false;
        }

        // Exception rules prevail over every other rule; the suffix is the exception minus its leftmost label.
        for (var take = labels.Length; take >= 1; take--)
        {
            var candidate = Join(labels, take);
            if (_exceptions.Contains(candidate))
            {
                publicSuffix = Join(labels, take - 1);
                return true;
            }
        }

        // Otherwise the matching rule with most labels prevails; a wildcard rule "*.x" has one label more than "x".
        for (var take = labels.Length; take >= 1; take--)
        {
            var candidate = Join(labels, take);
            if (_rules.Contains(candidate) || (take >= 2 && _wildcardParents.Contains(Join(labels, take - 1))))
            {
                publicSuffix = candidate;
                return true;
            }
        }

        // The TLD is listed only through an exception or wildcard that did not match: the TLD alone is the suffix,
        // which is what the implicit "*" rule gives for a listed TLD.
        publicSuffix = labels[^1];
        return true;
    }

    private static string Join(string[] labels, int take) => string.Join('.', labels, labels.Length - take, take);

    private static string ToAsciiRule(string rule, int lineNumber)
    {
        if (rule.Length == 0 || rule.Contains('*', StringComparison.Ordinal) || rule.StartsWith('.') || rule.EndsWith('.'))
        {
            throw new FormatException($"Public Suffix List line {lineNumber}: unsupported rule '{rule}'.");
        }

        if (rule.All(char.IsAscii))
        {
            return rule.ToLowerInvariant();
        }

        try
        {
            return Idn.GetAscii(rule);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Public Suffix List line {lineNumber}: '{rule}' is not a valid internationalized name.", e);
        }
    }
}
