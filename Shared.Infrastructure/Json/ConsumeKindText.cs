using Shared.Domain.Quotas;

namespace Shared.Infrastructure.Json;

public static class ConsumeKindText
{
    public static string Format(ConsumeKind kind) => kind switch
    {
        ConsumeKind.Allowed => "allowed",
        ConsumeKind.Replayed => "replayed",
        ConsumeKind.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ConsumeKind Parse(string text) => text switch
    {
        "allowed" => ConsumeKind.Allowed,
        "replayed" => ConsumeKind.Replayed,
        "denied" => ConsumeKind.Denied,
        _ => throw new FormatException($"Unknown outcome '{text}'."),
    };
}
