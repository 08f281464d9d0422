namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Which providers carry campaign messages (section <c>Notifications</c>). The in-app inbox is always there. Push and
/// WhatsApp have no default: without a provider no sender is registered for the channel (campaigns count such messages
/// failed); a named provider must be fully configured or the app refuses to start.
/// </summary>
public sealed class NotificationsOptions
{
    public const string Fcm = "Fcm";
    public const string Cloud = "Cloud";
    public const string None = "None";

    public PushProviderOptions Push { get; set; } = new();

    public WhatsAppProviderOptions WhatsApp { get; set; } = new();
}
