using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.Quotas;

/// <summary>
/// An idempotency key as a client sent it (identify's <c>request_id</c>): 1–128 characters without control characters.
/// It becomes a <see cref="RequestKey"/> only once the operation and the user are known, so it is bound to both.
/// </summary>
public readonly record struct ClientRequestId
{
    public const int MaxLength = 128;

    private ClientRequestId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out ClientRequestId? requestId)
    {
        requestId = null;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength || raw.Any(char.IsControl))
        {
            return false;
        }

        requestId = new ClientRequestId(raw);
        return true;
    }

    public override string ToString() => Value;
}
