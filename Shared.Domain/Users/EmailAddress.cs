using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Shared.Domain.Users;

/// <summary>
/// An email address in its one canonical spelling, so that one address always finds one user and two different
/// addresses never become one. The rule (README, "Email addresses"):
/// <list type="number">
/// <item>Surrounding white space is trimmed. White space, control or invisible format characters (zero-width joiner,
/// direction overrides, BOM) inside refuse the address.</item>
/// <item>The text is put in Unicode normalisation form NFC: a decomposed "e" + U+0301 and the composed "é" are the same
/// text and become one spelling.</item>
/// <item>An address whose NFKC form differs from its NFC form is refused: compatibility characters (fullwidth
/// "ＡＬＩＣＥ", the "ﬁ" ligature, superscripts, circled letters) would fold into a different, ordinary address under
/// NFKC, which some mail systems apply and others do not, so accepting them would either merge or split people.</item>
/// <item>Only the ASCII letters A–Z are lower-cased. Other letters are kept as written: culture-dependent case mapping
/// (Turkish "İ"/"ı", German "ẞ") would merge distinct addresses, so "İnci@x.com", "ınci@x.com" and "inci@x.com" stay three
/// addresses, while "INCI@x.com" is "inci@x.com".</item>
/// <item>The domain is kept in its IDNA ASCII form ("xn--…", punycode, which is only an encoding): "bücher.de" and
/// "xn--bcher-kva.de" are one address. A Unicode domain is accepted only when IDNA maps it to itself (so "BÜCHER.de",
/// whose non-ASCII capital IDNA would fold, is refused rather than silently folded), and a punycode label must decode
/// and encode back to itself.</item>
/// </list>
/// Local part at most 64 characters, the whole at most 254.
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
        // Bound the work before normalising: nothing longer can be valid (NFC never shrinks text by more than a factor of 3).
        if (raw is null || raw.Length > MaxLength * 4)
        {
            return false;
        }

        var trimmed = raw.Trim();
        if (trimmed.Length == 0 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            return false;
        }

        string nfc;
        string nfkc;
        try
        {
            nfc = trimmed.Normalize(NormalizationForm.FormC);
            nfkc = trimmed.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return false; // ill-formed UTF-16 (a lone surrogate)
        }

        if (!string.Equals(nfc, nfkc, StringComparison.Ordinal))
        {
            return false;
        }

        var at = nfc.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != nfc.LastIndexOf('@') || at == nfc.Length - 1)
        {
            return false;
        }

        var local = LowerAscii(nfc[..at]);
        if (local.Length > MaxLocalPartLength || !TryCanonicalDomain(LowerAscii(nfc[(at + 1)..]), out var domain))
        {
            return false;
        }

        var value = local + "@" + domain;
        if (value.Length > MaxLength)
        {
            return false;
        }

        email = new EmailAddress(value);
        return true;
    }

    private static bool TryCanonicalDomain(string domain, [NotNullWhen(true)] out string? ascii)
    {
        ascii = null;
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            if (!domain.All(char.IsAscii))
            {
                var encoded = Idn.GetAscii(domain);
                if (!string.Equals(Idn.GetUnicode(encoded), domain, StringComparison.Ordinal))
                {
                    return false; // IDNA would change it (case, mapped or deviation characters): refuse instead of folding
                }

                ascii = encoded;
                return true;
            }

            if (domain.Split('.').Any(label => label.StartsWith("xn--", StringComparison.Ordinal))
                && !string.Equals(Idn.GetAscii(Idn.GetUnicode(domain)), domain, StringComparison.Ordinal))
            {
                return false; // a punycode label that is not the canonical encoding of any name
            }
        }
        catch (ArgumentException)
        {
            return false;
        }

        ascii = domain;
        return true;
    }

    private static string LowerAscii(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= 'A' and <= 'Z')
            {
                chars[i] = (char)(chars[i] + ('a' - 'A'));
            }
        }

        return new string(chars);
    }

    public override string ToString() => Value;
}
