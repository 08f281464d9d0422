using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>
/// Reads a whole audience page by page for the snapshot (bounded by <see cref="CampaignOptions.MaxAudience"/>), and
/// counts one for the estimate: counted in the store, and the counts reused for
/// <see cref="CampaignOptions.EstimateCacheDuration"/> per (tenant, pin codes, channels), by the injected clock.
/// </summary>
public sealed class AudienceReader(ICustomerPreferenceStore preferences, CampaignOptions options, TimeProvider time)
{
    /// <summary>Counts kept at most; past it the expired ones go, and if none had expired, all of them.</summary>
    public const int MaxCachedCounts = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (AudienceCount Count, DateTimeOffset Until)> _counts = new(StringComparer.Ordinal);

    /// <summary>The audience's size, from the cache while it is fresh, else counted by the store (and cached).</summary>
    public async Task<AudienceCount> CountAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        // The pin codes and channels as sets (order and repeats make no difference to the audience).
        List<string> pinSet = [.. pinCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        List<NotificationChannel> channelSet = [.. channels.Distinct().Order()];
        var key = string.Join('\n', [tenantId.Value, string.Join(',', pinSet), string.Join(',', channelSet)]);
        var now = time.GetUtcNow();
        if (_counts.TryGetValue(key, out var cached) && now < cached.Until)
        {
            return cached.Count;
        }

        var count = await preferences.CountAudienceAsync(tenantId, pinSet, channelSet, cancellationToken);
        if (options.EstimateCacheDuration > TimeSpan.Zero)
        {
            if (_counts.Count >= MaxCachedCounts)
            {
                foreach (var expired in _counts.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
                {
                    _counts.TryRemove(expired, out _);
                }

                if (_counts.Count >= MaxCachedCounts)
                {
                    _counts.Clear();
                }
            }

            _counts[key] = (count, now + options.EstimateCacheDuration);
        }

        return count;
    }

    public static CampaignEstimate Estimate(AudienceCount count, CampaignPrices prices) =>
        new(count.Customers, count.PerChannel.Values.Sum(), count.PerChannel.Sum(c => c.Value * CampaignChannels.PriceOf(prices, c.Key)));

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
