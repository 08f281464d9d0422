namespace Shared.Domain.Referrals;

public sealed class ReferralOptions
{
    /// <summary>Extra uses per period the referrer gets for each confirmed referral.</summary>
    public int PerkUses { get; set; } = 5;
}
