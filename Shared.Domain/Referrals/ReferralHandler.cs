using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Referrals;

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
