using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Common;

/// <summary>A plan's id within its tenant ("free", "pro", "unlimited"): lowercase letters, digits, dashes, underscores.</summary>
public readonly record struct PlanId
{
    public const int MaxLength = 40;

    private PlanId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out PlanId? planId)
    {
        planId = null;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in raw)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        planId = new PlanId(raw);
        return true;
    }

    public static PlanId Parse(string raw) =>
        TryParse(raw, out var id) ? id.Value : throw new ArgumentException($"'{raw}' is not a valid plan id.", nameof(raw));

    public override string ToString() => Value;
}
