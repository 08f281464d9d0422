namespace Shared.Domain.Billing;

public enum BillingCycle
{
    Monthly,
    Yearly,

    /// <summary>Paid once (Stripe Checkout in payment mode); the plan is kept for good.</summary>
    Lifetime,
}
