namespace Shared.Domain.Common;

/// <summary>
/// A client's key for a write it may retry (the <c>Idempotency-Key</c> header): 1–128 characters, none of them a
/// control character. The same key from the same caller names the same write, so a retry finds the first one's result.
/// </summary>
public readonly record struct IdempotencyKey
{
    public const int MaxLength = 128;

    private IdempotencyKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>False (with why) for an empty or overlong key or one with control characters.</summary>
    public static bool TryCreate(string raw, out IdempotencyKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        key = default;
        if (raw is null || raw.Length is 0 or > MaxLength || raw.Any(char.IsControl))
        {
            problem = $"At most {MaxLength} printable characters.";
            return false;
        }

        key = new IdempotencyKey(raw);
        problem = null;
        return true;
    }

    public override string ToString() => Value;
}
