namespace Shared.Domain.Billing;

/// <summary>
/// What a redirect URL we hand to Stripe (success, cancel, portal return) may contain: the characters RFC 3986 allows
/// in a URI and nothing else (letters, digits, <c>-._~:/?#[]@!$&amp;'()*+,;=</c>, and <c>%</c> followed by two hex
/// digits). Control characters, spaces, quotes, angle brackets and non-ASCII letters are refused rather than
/// "repaired": browsers and Stripe each repair them differently, and the sandbox's pages broke on them. A client with
/// a non-ASCII path percent-encodes it.
/// </summary>
public static class RedirectUrlRule
{
    public const int MaxLength = 2048;

    /// <summary>Null when <paramref name="url"/> is acceptable, else why not.</summary>
    public static string? Problem(string url)
    {
        if (url.Length > MaxLength)
        {
            return $"At most {MaxLength} characters.";
        }

        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c == '%')
            {
                if (i + 2 >= url.Length || !char.IsAsciiHexDigit(url[i + 1]) || !char.IsAsciiHexDigit(url[i + 2]))
                {
                    return $"A '%' at position {i} is not followed by two hex digits.";
                }
            }
            else if (!char.IsAsciiLetterOrDigit(c) && "-._~:/?#[]@!$&'()*+,;=".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return char.IsControl(c)
                    ? $"Contains a control character (U+{(int)c:X4}) at position {i}."
                    : $"Contains a character a URL cannot hold unencoded (U+{(int)c:X4}) at position {i}; percent-encode it.";
            }
        }

        return null;
    }
}
