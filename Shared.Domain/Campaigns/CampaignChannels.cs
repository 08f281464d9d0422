using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>The stable text of channels, campaign and delivery statuses, as stored and as the API answers them; the price of a channel.</summary>
public static class CampaignChannels
{
    public static string Format(NotificationChannel channel) => channel switch
    {
        NotificationChannel.InApp => "in_app",
        NotificationChannel.Push => "push",
        NotificationChannel.WhatsApp => "whatsapp",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static bool TryParse(string? text, out NotificationChannel channel)
    {
        (var ok, channel) = text switch
        {
            "in_app" => (true, NotificationChannel.InApp),
            "push" => (true, NotificationChannel.Push),
            "whatsapp" => (true, NotificationChannel.WhatsApp),
            _ => (false, NotificationChannel.InApp),
        };
        return ok;
    }

    public static NotificationChannel Parse(string text) => TryParse(text, out var channel) ? channel : throw new FormatException($"Unknown channel '{text}'.");

    public static string Format(CampaignStatus status) => status switch
    {
        CampaignStatus.Queued => "queued",
        CampaignStatus.Dispatching => "dispatching",
        CampaignStatus.Completed => "completed",
        CampaignStatus.Failed => "failed",
        CampaignStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static CampaignStatus ParseStatus(string text) => text switch
    {
        "queued" => CampaignStatus.Queued,
        "dispatching" => CampaignStatus.Dispatching,
        "completed" => CampaignStatus.Completed,
        "failed" => CampaignStatus.Failed,
        "cancelled" => CampaignStatus.Cancelled,
        _ => throw new FormatException($"Unknown campaign status '{text}'."),
    };

    public static string Format(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static DeliveryStatus ParseDelivery(string text) => text switch
    {
        "delivered" => DeliveryStatus.Delivered,
        "failed" => DeliveryStatus.Failed,
        "skipped" => DeliveryStatus.Skipped,
        _ => throw new FormatException($"Unknown delivery status '{text}'."),
    };

    /// <summary>The price of one message on <paramref name="channel"/>.</summary>
    public static long PriceOf(Wallets.CampaignPrices prices, NotificationChannel channel) => channel switch
    {
        NotificationChannel.InApp => prices.InApp,
        NotificationChannel.Push => prices.Push,
        NotificationChannel.WhatsApp => prices.WhatsApp,
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
