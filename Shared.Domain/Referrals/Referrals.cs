using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Referrals;

public enum ReferralStatus
{
    /// <summary>Recorded at the referred user's signup.</summary>
    Pending,

    /// <summary>The referred user verified their phone number: the referrer has earned the perk.</summary>
    Confirmed,

    /// <summary>The perk was granted.</summary>
    Rewarded,
}

/// <summary>AskDunzo's referral program: one referral per referred user, naming who referred them.</summary>
public sealed record Referral(TenantId TenantId, UserId ReferrerId, UserId ReferredId, ReferralStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ConfirmedAt = null, DateTimeOffset? RewardedAt = null)
{
    /// <summary>The key the perk is granted under: one grant per referred user, so it counts once.</summary>
    public string GrantKey => "referral:" + ReferredId.Value;
}

public interface IReferralStore
{
    /// <summary>Records a referral; false when the referred user already has one.</summary>
    Task<bool> TryCreateAsync(Referral referral, CancellationToken cancellationToken);

    Task<Referral?> GetAsync(TenantId tenantId, UserId referredId, CancellationToken cancellationToken);

    /// <summary>Pending → confirmed (phone verified); false when there is no pending referral.</summary>
    Task<bool> ConfirmAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Confirmed referrals whose perk is not granted yet, oldest first.</summary>
    Task<IReadOnlyList<Referral>> ListConfirmedAsync(TenantId tenantId, int max, CancellationToken cancellationToken);

    /// <summary>Confirmed → rewarded; false when it was not confirmed (or already rewarded).</summary>
    Task<bool> MarkRewardedAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed class ReferralOptions
{
    /// <summary>Extra uses per period the referrer gets for each confirmed referral.</summary>
    public int PerkUses { get; set; } = 5;
}

/// <summary>
/// Records referrals (called at signup by the accounts feature) and confirms them (called by phone verification).
/// A user cannot refer themselves, and the referrer must be a user of the same tenant.
/// </summary>
public sealed class ReferralHandler(IReferralStore referrals, IQuotaStore quotas, TimeProvider time)
{
    public async Task<Result<Referral>> ReferAsync(TenantId tenantId, UserId referrerId, UserId referredId, CancellationToken cancellationToken)
    {
        if (referrerId == referredId)
        {
            return Error.Validation("referrer_id", "A user cannot refer themselves.");
        }

        if (await quotas.GetAsync(tenantId, referrerId, cancellationToken) is null)
        {
            return Error.NotFound("referrer_not_found", "No such referrer in this tenant.");
        }

        var referral = new Referral(tenantId, referrerId, referredId, ReferralStatus.Pending, time.GetUtcNow());
        return await referrals.TryCreateAsync(referral, cancellationToken)
            ? referral
            : new Error(ErrorKind.Conflict, "already_referred", "This user was already referred.");
    }

    public Task<bool> ConfirmAsync(TenantId tenantId, UserId referredId, CancellationToken cancellationToken) =>
        referrals.ConfirmAsync(tenantId, referredId, time.GetUtcNow(), cancellationToken);
}

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
