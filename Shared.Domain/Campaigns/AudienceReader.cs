using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>Reads a whole audience page by page (the snapshot and the estimate); bounded by <see cref="CampaignOptions.MaxAudience"/>.</summary>
public sealed class AudienceReader(ICustomerPreferenceStore preferences, CampaignOptions options)
{
    /// <summary>Every member, or null when the audience is larger than allowed.</summary>
    public async Task<List<AudienceMember>?> ReadAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        var members = new List<AudienceMember>();
        UserId? after = null;
        while (true)
        {
            var page = await preferences.ListAudienceAsync(tenantId, pinCodes, channels, after, options.AudiencePageSize, cancellationToken);
            members.AddRange(page);
            if (members.Count > options.MaxAudience)
            {
                return null;
            }

            if (page.Count < options.AudiencePageSize)
            {
                return members;
            }

            after = page[^1].UserId;
        }
    }

    public static CampaignEstimate Estimate(IReadOnlyList<AudienceMember> members, CampaignPrices prices)
    {
        long messages = 0, cost = 0;
        foreach (var member in members)
        {
            foreach (var channel in member.Channels)
            {
                messages++;
                cost += CampaignChannels.PriceOf(prices, channel);
            }
        }

        return new CampaignEstimate(members.Count, messages, cost);
    }
}
