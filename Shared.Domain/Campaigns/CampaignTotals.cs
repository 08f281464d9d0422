using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>A campaign's recorded deliveries, counted: delivered per channel (what is charged), failed and skipped.</summary>
public sealed record CampaignTotals(IReadOnlyDictionary<NotificationChannel, long> Delivered, long Failed, long Skipped)
{
    public long Sent => Delivered.Values.Sum();

    public long ChargeFor(Wallets.CampaignPrices prices) => Delivered.Sum(d => d.Value * CampaignChannels.PriceOf(prices, d.Key));
}
