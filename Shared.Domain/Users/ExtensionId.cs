using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Users;

/// <summary>The id an extension installation generates for itself: 1–128 visible ASCII characters.</summary>
public readonly record struct ExtensionId
{
    public const int MaxLength = 128;

    private ExtensionId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out ExtensionId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength || !raw.All(c => c is > ' ' and < (char)127))
        {
            return false;
        }

        id = new ExtensionId(raw);
        return true;
    }

    public override string ToString() => Value;
}
