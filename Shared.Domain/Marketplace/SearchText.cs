using System.Globalization;
using System.Text;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The normalised text both stores search (Cosmos with CONTAINS, SQLite with instr): accents folded (<see cref="LatinFolding"/>)
/// and combining marks dropped, lower-cased, every run of anything but letters and digits one space, with a space at
/// each end. A whole word w is then " w " and a word prefix p is " p", so one substring test per word needs no
/// tokenizer in the store and gives the same answer on both.
/// </summary>
public static class SearchText
{
    public const int MaxQueryLength = 200;
    public const int MaxWords = 8;

    public static string Index(string text) => " " + string.Join(' ', Words(text)) + " ";

    /// <summary>The words of <paramref name="text"/>, normalised as <see cref="Index"/> writes them.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (LatinFolding.Map.TryGetValue(c, out var folded))
            {
                builder.Append(folded);
            }
            else
            {
                builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
            }
        }

        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The substrings a matching item's text must contain: each word whole, the last one as a prefix.</summary>
    public static IReadOnlyList<string> Patterns(IReadOnlyList<string> words) =>
        [.. words.Select((w, i) => i == words.Count - 1 ? " " + w : " " + w + " ")];
}
