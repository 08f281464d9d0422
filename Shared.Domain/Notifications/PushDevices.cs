namespace Shared.Domain.Notifications;

/// <summary>Rules for registered push devices.</summary>
public static class PushDevices
{
    /// <summary>A user's devices are bounded so one account cannot grow its partition (or a campaign's fan-out) without limit.</summary>
    public const int MaxPerUser = 10;

    /// <summary>FCM registration tokens are opaque; today they are about 160 characters. 4096 leaves room and bounds storage.</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>A token must be printable ASCII without spaces (what FCM issues); anything else is refused before storing.</summary>
    public static bool IsWellFormedToken(string? token) =>
        token is { Length: > 0 and <= MaxTokenLength } && token.All(c => c is > ' ' and < (char)127);
}
