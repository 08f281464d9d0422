using System.Globalization;
using System.Text;

namespace Functions.Api.Me;

/// <summary>
/// A display name: 1–64 characters after trimming, no control or format characters (no line breaks, no bidi overrides
/// that would make a name render as something else next to other text).
/// </summary>
public static class DisplayNameRule
{
    public const int MaxLength = 64;

    public static bool TryNormalize(string raw, out string normalized, out string problem)
    {
        normalized = raw.Trim();
        problem = "";
        if (normalized.Length == 0)
        {
            problem = "Must not be empty (send null to clear it).";
            return false;
        }

        if (normalized.Length > MaxLength)
        {
            problem = $"Must be at most {MaxLength} characters.";
            return false;
        }

        if (HasLoneSurrogate(normalized) || normalized.EnumerateRunes().Any(r => Rune.GetUnicodeCategory(r) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.PrivateUse))
        {
            problem = "Must not contain control, formatting or private-use characters.";
            return false;
        }

        return true;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
