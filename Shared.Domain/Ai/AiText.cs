using Shared.Domain.Common;
using Shared.Domain.Marketplace;

namespace Shared.Domain.Ai;

/// <summary>
/// The checks every text sent to the AI port passes: present, not blank, within a length, and plain text as
/// <see cref="PlainText.IsClean"/> has it (no control characters but line breaks and tabs, no lone surrogate).
/// </summary>
public static class AiText
{
    public static Error? Check(string? text, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Error.Validation(field, "Required.");
        }

        if (text.Length > maxLength)
        {
            return Error.Validation(field, $"At most {maxLength} characters.");
        }

        return PlainText.IsClean(text, allowNewlines: true) ? null : Error.Validation(field, "Control characters and unpaired surrogates are not allowed.");
    }
}
