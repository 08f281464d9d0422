using Shared.Domain.Common;

namespace Shared.Domain.Referrals;

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
