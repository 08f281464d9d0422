using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Accounts;

/// <summary>
/// A phone number in E.164: "+", a country code not starting with 0, 8 to 15 digits in all. Spaces, dashes, dots and
/// parentheses typed between digits are dropped; nothing else is rewritten (no national formats: the client adds the
/// country code), so one number has one spelling.
/// </summary>
public readonly record struct PhoneNumber
{
    private PhoneNumber(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out PhoneNumber? phone)
    {
        phone = null;
        if (raw is null || raw.Length > 32)
        {
            return false;
        }

        var trimmed = raw.Trim();
        if (!trimmed.StartsWith('+'))
        {
            return false;
        }

        var digits = new System.Text.StringBuilder("+");
        foreach (var c in trimmed.AsSpan(1))
        {
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        var value = digits.ToString();
        if (value.Length is < 9 or > 16 || value[1] == '0')
        {
            return false;
        }

        phone = new PhoneNumber(value);
        return true;
    }

    public override string ToString() => Value;
}
