using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Shared.Domain.Users;

/// <summary>
/// An email address in its one canonical spelling, so that one address always finds one user and two different
/// addresses never become one. The rule (README, "Email addresses"):
/// <list type="number">
/// <item>Surrounding white space is trimmed.</item>
/// <item>The address is ASCII: visible characters U+0021–U+007E, exactly one "@", a local part of 1–64 characters, a
/// domain with at least one dot and no empty label. Internationalised domains are accepted in their ASCII (punycode,
/// <c>xn--</c>) form, and such a label must be the exact encoding of a name (decode and encode back to itself).</item>
/// <item>A–Z are lower-cased; nothing else changes.</item>
/// </list>
/// Why ASCII only: every rule that folds Unicode (NFKC, which turns fullwidth "ＡＬＩＣＥ" and the "ﬁ" ligature into
/// "alice" and "fi"; culture-dependent case mapping, under which Turkish "İ"/"ı" become "i"; IDNA's mapping of domains)
/// needs Unicode tables that this app does not load (it runs in invariant-globalization mode, where
/// <c>string.Normalize</c> changes nothing) and that differ between ICU versions, so two instances could fold one
/// address differently. An ASCII-only rule folds nothing but A–Z and so can never silently merge two addresses;
/// fullwidth letters, ligatures, dotless/dotted i, precomposed or combining accents are refused, not folded. The
/// addresses identity providers verify (Google accounts) are ASCII.
/// </summary>
public readonly record struct EmailAddress
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    private static readonly IdnMapping Idn = new();

    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out EmailAddress? email)
    {
        email = null;
        var candidate = raw?.Trim();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxLength || !candidate.All(c => c is > ' ' and < (char)127))
        {
            return false;
        }

        var at = candidate.IndexOf('@', StringComparison.Ordinal);
        if (at is <= 0 or > MaxLocalPartLength || at != candidate.LastIndexOf('@') || at == candidate.Length - 1)
        {
            return false;
        }

        var lowered = LowerAscii(candidate);
        if (!IsDomain(lowered[(at + 1)..]))
        {
            return false;
        }

        email = new EmailAddress(lowered);
        return true;
    }

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return false;
        }

        try
        {
            // A punycode label must be the canonical encoding of some name, so one name has one spelling.
            return labels.Where(l => l.StartsWith("xn--", StringComparison.Ordinal))
                .All(l => string.Equals(Idn.GetAscii(Idn.GetUnicode(l)), l, StringComparison.Ordinal));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string LowerAscii(string text) => string.Create(text.Length, text, static (chars, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            chars[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + ('a' - 'A')) : source[i];
        }
    });

    public override string ToString() => Value;
}
