namespace Shared.Domain.Marketplace;

/// <summary>
/// Text users write (titles, descriptions, reviews) is stored and returned as data, exactly as written; what is
/// refused is only what no text needs: NUL and other C0/C1 control characters (tab and, where allowed, line breaks
/// aside) and unpaired surrogates (not valid Unicode, so not storable as written).
/// Markup is not refused and not escaped here: it is data, and JSON is the only way it leaves the API.
/// </summary>
public static class PlainText
{
    public static bool IsClean(string text, bool allowNewlines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsControl(c) && !(c == '\t' || (allowNewlines && c is '\n' or '\r')))
            {
                return false;
            }
        }

        return true;
    }
}
