using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Referrals;

/// <summary>
/// The referral perk sweep (a timer): each confirmed referral grants its referrer the perk exactly once. The grant is
/// keyed by the referred user (a repeated grant is a no-op), then the referral is marked rewarded; stopping between the
/// two steps makes the next run repeat the grant harmlessly and mark it.
/// </summary>
public sealed class ReferralPerkSweep(IReferralStore referrals, IQuotaStore quotas, ReferralOptions options, TimeProvider time)
{
    public const int BatchSize = 100;

    public async Task<int> RunAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var granted = 0;
        var seen = new HashSet<UserId>();
        while (true)
        {
            var batch = await referrals.ListConfirmedAsync(tenant.Id, BatchSize, cancellationToken);
            var fresh = batch.Where(r => seen.Add(r.ReferredId)).ToList();
            foreach (var referral in fresh)
            {
                granted += await quotas.GrantBonusAsync(tenant.Id, referral.ReferrerId, referral.GrantKey, options.PerkUses, cancellationToken) ? 1 : 0;
                await referrals.MarkRewardedAsync(tenant.Id, referral.ReferredId, time.GetUtcNow(), cancellationToken);
            }

            if (fresh.Count == 0 || batch.Count < BatchSize)
            {
                return granted;
            }
        }
    }
}
