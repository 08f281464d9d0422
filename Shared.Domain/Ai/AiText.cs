using Shared.Domain.Common;

namespace Shared.Domain.Ai;

/// <summary>The checks every text sent to the AI port passes: present, not blank, within a length, no control characters but line breaks and tabs.</summary>
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

        return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? Error.Validation(field, "Control characters are not allowed.") : null;
    }
}
