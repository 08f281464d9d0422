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
