namespace Shared.Infrastructure.Notifications;

/// <summary>Section <c>Notifications:Push</c>: the provider (<c>Fcm</c>, or absent / <c>None</c>) and its settings.</summary>
public sealed class PushProviderOptions
{
    public string? Provider { get; set; }

    public FcmOptions Fcm { get; set; } = new();
}
