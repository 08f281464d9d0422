using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Common;

/// <summary>A user's id: a GUID in its 36-character lowercase form. Unguessable, so it can travel in URLs.</summary>
public readonly record struct UserId
{
    private UserId(string value) => Value = value;

    public string Value { get; }

    public static UserId New() => new(Guid.CreateVersion7().ToString("D"));

    public static bool TryParse(string? raw, [NotNullWhen(true)] out UserId? userId)
    {
        userId = null;
        if (raw is null || raw.Length != 36 || !Guid.TryParseExact(raw, "D", out var guid))
        {
            return false;
        }

        userId = new UserId(guid.ToString("D"));
        return true;
    }

    public static UserId Parse(string raw) =>
        TryParse(raw, out var id) ? id.Value : throw new ArgumentException($"'{raw}' is not a valid user id.", nameof(raw));

    public override string ToString() => Value;
}
