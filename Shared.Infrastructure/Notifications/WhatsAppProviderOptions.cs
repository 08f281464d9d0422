namespace Shared.Infrastructure.Notifications;

/// <summary>Section <c>Notifications:WhatsApp</c>: the provider (<c>Cloud</c>, or absent / <c>None</c>) and its settings.</summary>
public sealed class WhatsAppProviderOptions
{
    public string? Provider { get; set; }

    public WhatsAppCloudOptions Cloud { get; set; } = new();
}
