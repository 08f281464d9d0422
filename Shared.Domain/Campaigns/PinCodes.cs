using System.Text.RegularExpressions;

namespace Shared.Domain.Campaigns;

/// <summary>Postal codes as offers, customers and campaigns name them: 3 to 10 letters, digits or '-', kept upper case.</summary>
public static partial class PinCodes
{
    public const int MaxPerList = 20;

    /// <summary>The distinct normalized codes, or null (with the problem added to <paramref name="errors"/>).</summary>
    public static IReadOnlyList<string>? Read(IReadOnlyList<string?>? raw, string field, Common.FieldErrors errors, bool allowEmpty = false)
    {
        if (raw is null)
        {
            errors.Add(field, "Required.");
            return null;
        }

        if ((raw.Count == 0 && !allowEmpty) || raw.Count > MaxPerList)
        {
            errors.Add(field, $"{(allowEmpty ? 0 : 1)} to {MaxPerList} pin codes.");
            return null;
        }

        var list = new List<string>(raw.Count);
        foreach (var code in raw)
        {
            if (code is null || !Pattern().IsMatch(code))
            {
                errors.Add(field, "Each pin code is 3 to 10 letters, digits or '-'.");
                return null;
            }

            var normalized = code.ToUpperInvariant();
            if (!list.Contains(normalized))
            {
                list.Add(normalized);
            }
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9-]{3,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
