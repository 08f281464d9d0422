using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>A campaign's recorded deliveries, counted: delivered per channel (what is charged), failed and skipped.</summary>
public sealed record CampaignTotals(IReadOnlyDictionary<NotificationChannel, long> Delivered, long Failed, long Skipped)
{
    public long Sent => Delivered.Values.Sum();

    public long ChargeFor(Wallets.CampaignPrices prices) => Delivered.Sum(d => d.Value * CampaignChannels.PriceOf(prices, d.Key));

    /// <summary>The totals of counted rows (channel, status, count), as both stores count them.</summary>
    public static CampaignTotals From(IEnumerable<(NotificationChannel Channel, DeliveryStatus Status, long Count)> rows)
    {
        var delivered = new Dictionary<NotificationChannel, long>();
        long failed = 0, skipped = 0;
        foreach (var (channel, status, count) in rows)
        {
            switch (status)
            {
                case DeliveryStatus.Delivered:
                    delivered[channel] = delivered.GetValueOrDefault(channel) + count;
                    break;
                case DeliveryStatus.Failed:
                    failed += count;
                    break;
                default:
                    skipped += count;
                    break;
            }
        }

        return new CampaignTotals(delivered, failed, skipped);
    }
}
