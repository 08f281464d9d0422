namespace Shared.Domain.Notifications;

/// <summary>The channels a campaign message can travel on (the contract's names: in_app, push, whatsapp).</summary>
public enum NotificationChannel
{
    InApp,
    Push,
    WhatsApp,
}
