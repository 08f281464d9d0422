using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Common;

/// <summary>A tenant (one product sharing this backend): lowercase letters, digits and dashes, 1–40 characters.</summary>
public readonly record struct TenantId
{
    public const int MaxLength = 40;

    private TenantId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out TenantId? tenantId)
    {
        tenantId = null;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength || raw[0] == '-' || raw[^1] == '-')
        {
            return false;
        }

        foreach (var c in raw)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        tenantId = new TenantId(raw);
        return true;
    }

    public static TenantId Parse(string raw) =>
        TryParse(raw, out var id) ? id.Value : throw new ArgumentException($"'{raw}' is not a valid tenant id.", nameof(raw));

    public override string ToString() => Value;
}
