using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>Read-modify-write of a campaign on its revision, retried when a concurrent writer changed it first.</summary>
public static class CampaignUpdates
{
    private const int MaxAttempts = 50;

    /// <summary>
    /// Applies <paramref name="change"/> to the current campaign (null from it: nothing to write) until it sticks;
    /// answers the campaign as stored afterwards, or null when it does not exist.
    /// </summary>
    public static async Task<Campaign?> UpdateAsync(this ICampaignStore store, TenantId tenantId, string campaignId, Func<Campaign, Campaign?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(tenantId, campaignId, cancellationToken);
            if (current is null)
            {
                return null;
            }

            if (change(current) is not { } next)
            {
                return current;
            }

            if (await store.TryReplaceAsync(next, cancellationToken) is { } stored)
            {
                return stored;
            }
        }

        throw new InvalidOperationException($"Campaign {campaignId} changed under {MaxAttempts} attempts in a row.");
    }
}
