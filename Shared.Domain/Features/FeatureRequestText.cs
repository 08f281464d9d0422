using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Features;

/// <summary>
/// What a user asks the AI to build: trimmed, 1–<see cref="FeatureRequest.MaxTextLength"/> characters, no control
/// characters but line breaks and tabs (it ends up in a prompt and in the user's history).
/// </summary>
public readonly record struct FeatureRequestText
{
    private FeatureRequestText(string value) => Value = value;

    public string Value { get; }

    /// <summary>False (with why) for text that is empty after trimming, too long, or holds control characters.</summary>
    public static bool TryCreate(string? raw, out FeatureRequestText text, [NotNullWhen(false)] out string? problem)
    {
        text = default;
        var trimmed = raw?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problem = "Describe the feature you want.";
            return false;
        }

        if (trimmed.Length > FeatureRequest.MaxTextLength)
        {
            problem = $"At most {FeatureRequest.MaxTextLength} characters.";
            return false;
        }

        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            problem = "Must not contain control characters.";
            return false;
        }

        text = new FeatureRequestText(trimmed);
        problem = null;
        return true;
    }

    public static FeatureRequestText Parse(string raw) =>
        TryCreate(raw, out var text, out var problem) ? text : throw new ArgumentException(problem, nameof(raw));

    public override string ToString() => Value;
}
