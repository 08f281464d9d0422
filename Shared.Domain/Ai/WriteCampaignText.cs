using System.Globalization;
using System.Text.RegularExpressions;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Ai;

/// <summary>
/// Writes a campaign message through the AI port (the tenant's prompt cache and AI rate limit apply there; each user's
/// share is limited by the caller, as for <see cref="GenerateAnswer"/>). Inputs are checked against closed lists (tone,
/// channel), a BCP-47-like language tag and bounded text. The answer never exceeds the channel's limit:
/// <list type="bullet">
/// <item><c>whatsapp</c>: 1,024 characters, the body limit of a WhatsApp message template: a campaign is
/// business-initiated, so outside a customer's 24-hour service window it can only be sent as a template (free-form text
/// allows 4,096, but would not be deliverable to most of an audience);</item>
/// <item><c>push</c>: 240 characters (what a notification shows without expanding);</item>
/// <item><c>in_app</c>: 1,000 characters.</item>
/// </list>
/// The model is asked for that length; an answer still longer is cut at the last word boundary before the limit and
/// ends with an ellipsis. Writing campaign text costs no credits.
/// </summary>
public sealed partial class WriteCampaignText(IAiProvider ai)
{
    public const int MaxProductLength = 200;

    public static readonly IReadOnlyList<string> Tones = ["friendly", "professional", "urgent", "festive", "playful"];

    public static readonly IReadOnlyDictionary<string, int> ChannelLimits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["in_app"] = 1_000,
        ["push"] = 240,
        ["whatsapp"] = 1_024,
    };

    public const string SystemPrompt = "You write short marketing messages for local shops. Write only the message itself, no preamble, no quotes, no hashtags.";

    public async Task<Result<CampaignText>> HandleAsync(Tenant tenant, CampaignTextRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (AiText.Check(request.Product, "product", MaxProductLength) is { } product)
        {
            errors["product"] = product.Fields!["product"];
        }

        if (request.Discount is not (>= 1 and <= 100))
        {
            errors["discount"] = ["A whole percentage from 1 to 100."];
        }

        if (request.Tone is null || !Tones.Contains(request.Tone))
        {
            errors["tone"] = [$"One of: {string.Join(", ", Tones)}."];
        }

        if (request.Channel is null || !ChannelLimits.ContainsKey(request.Channel))
        {
            errors["channel"] = [$"One of: {string.Join(", ", ChannelLimits.Keys)}."];
        }

        if (NormalizeLanguage(request.Language) is not { } language)
        {
            errors["language"] = ["A BCP 47 language tag such as en, hi, en-IN or zh-Hant-TW."];
            language = "";
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var limit = ChannelLimits[request.Channel!];
        var user = string.Create(
            CultureInfo.InvariantCulture,
            $"Product: {request.Product!.Trim()}\nDiscount: {request.Discount}%\nTone: {request.Tone}\nLanguage (BCP 47): {language}\nChannel: {request.Channel}\nWrite the message in that language, at most {limit} characters.");
        var completion = await ai.CompleteAsync(new AiPrompt(tenant.Id, SystemPrompt, user), cancellationToken);
        return new CampaignText(Fit(completion.Text.Trim(), limit), limit, completion.FromCache);
    }

    /// <summary>The tag with its subtags in their conventional case (language lower, script title, region upper), or null when it is not tag-shaped.</summary>
    public static string? NormalizeLanguage(string? tag)
    {
        if (tag is null || tag.Length > 35 || !LanguageTag().IsMatch(tag))
        {
            return null;
        }

        var parts = tag.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            parts[i] = i == 0 ? part.ToLowerInvariant()
                : part.Length == 4 && char.IsAsciiLetter(part[0]) ? char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()
                : part.Length == 2 ? part.ToUpperInvariant()
                : part.ToLowerInvariant();
        }

        return string.Join('-', parts);
    }

    /// <summary>At most <paramref name="limit"/> characters (UTF-16 units, never splitting a surrogate pair): cut at a word boundary, with an ellipsis.</summary>
    public static string Fit(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', limit - 1);
        var end = cut > limit / 2 ? cut : limit - 1;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end].TrimEnd() + "…";
    }

    // language (2–3 letters, or 5–8), then optional script (4 letters), region (2 letters or 3 digits) and variants.
    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
