namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Assigns a feature request's text to one <see cref="FeatureCategory"/> by keywords, when it is submitted; the text
/// itself is never part of a release. Categories are tried in a fixed order and the first with a matching keyword wins
/// (so "dark theme" is dark mode, not layout). A keyword is one or more whole words; a trailing <c>*</c> lets its last
/// word match as a prefix ("summar*" matches "summarize" and "summary"). The AI port may refine the category later; the
/// closed list stays the same.
/// </summary>
public static class FeatureRequestCategorizer
{
    private static readonly (FeatureCategory Category, string[][] Keywords)[] Rules =
    [
        (FeatureCategory.DarkMode, Words("dark", "darker", "night mode", "black background", "dim")),
        (FeatureCategory.Accessibility, Words("accessibility", "accessible", "font size", "bigger font", "larger font", "bigger text", "larger text", "contrast", "screen reader", "dyslexi*", "colorblind", "colourblind", "color blind", "colour blind", "zoom", "readable")),
        (FeatureCategory.AdBlocking, Words("ad", "ads", "advert*", "sponsored", "popup*", "pop up", "pop ups", "banner*", "promoted")),
        (FeatureCategory.Privacy, Words("track*", "cookie*", "privacy", "fingerprint*", "third party")),
        (FeatureCategory.Reading, Words("summar*", "translat*", "reader mode", "read aloud", "text to speech", "tldr")),
        (FeatureCategory.Shopping, Words("price*", "coupon*", "discount*", "deal", "deals", "cart", "checkout", "cheaper", "shopping")),
        (FeatureCategory.Media, Words("video*", "playback", "audio", "music", "autoplay", "subtitle*", "caption*", "podcast*", "download*")),
        (FeatureCategory.Notifications, Words("notif*", "alert*", "remind*")),
        (FeatureCategory.Productivity, Words("shortcut*", "keyboard", "hotkey*", "autofill", "auto fill", "automat*", "bulk", "export*", "copy", "tab", "tabs")),
        (FeatureCategory.Layout, Words("hide", "remove", "layout", "sidebar", "rearrange", "wider", "narrower", "theme", "colour*", "color*", "style", "font", "clutter*", "distraction*")),
    ];

    public static FeatureCategory CategorizeFeatureRequest(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return FeatureCategory.Other;
        }

        var tokens = Tokenize(text);
        foreach (var (category, keywords) in Rules)
        {
            if (keywords.Any(keyword => Occurs(keyword, tokens)))
            {
                return category;
            }
        }

        return FeatureCategory.Other;
    }

    private static string[][] Words(params string[] keywords) => [.. keywords.Select(k => k.Split(' '))];

    private static string[] Tokenize(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool Occurs(string[] keyword, string[] tokens)
    {
        for (var start = 0; start + keyword.Length <= tokens.Length; start++)
        {
            var all = true;
            for (var i = 0; i < keyword.Length && all; i++)
            {
                var word = keyword[i];
                all = word.EndsWith('*')
                    ? tokens[start + i].StartsWith(word[..^1], StringComparison.Ordinal)
                    : tokens[start + i] == word;
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
