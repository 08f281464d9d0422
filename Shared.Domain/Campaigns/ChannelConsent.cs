using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>Whether a customer accepts campaign messages on each channel (all off unless the customer said yes).</summary>
public sealed record ChannelConsent(bool InApp, bool Push, bool WhatsApp)
{
    public static readonly ChannelConsent None = new(false, false, false);

    public bool Allows(NotificationChannel channel) => channel switch
    {
        NotificationChannel.InApp => InApp,
        NotificationChannel.Push => Push,
        NotificationChannel.WhatsApp => WhatsApp,
        _ => false,
    };
}
