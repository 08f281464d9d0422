namespace Shared.Domain.Billing;

public enum SubscriptionStatus
{
    Active,
    PastDue,
    Canceled,
    Incomplete,

    /// <summary>Past due beyond the grace period: the user is back on the free plan until an invoice is paid.</summary>
    Suspended,
}
