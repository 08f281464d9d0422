namespace Shared.Domain.Billing;

public static class BillingText
{
    public static string Format(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => "monthly",
        BillingCycle.Yearly => "yearly",
        _ => "lifetime",
    };

    public static bool TryParseCycle(string? text, out BillingCycle cycle)
    {
        (var ok, cycle) = text switch
        {
            "monthly" => (true, BillingCycle.Monthly),
            "yearly" => (true, BillingCycle.Yearly),
            "lifetime" => (true, BillingCycle.Lifetime),
            _ => (false, BillingCycle.Monthly),
        };
        return ok;
    }

    public static string Format(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.PastDue => "past_due",
        SubscriptionStatus.Canceled => "canceled",
        SubscriptionStatus.Incomplete => "incomplete",
        SubscriptionStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static SubscriptionStatus ParseStatus(string text) => text switch
    {
        "active" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "canceled" => SubscriptionStatus.Canceled,
        "incomplete" => SubscriptionStatus.Incomplete,
        "suspended" => SubscriptionStatus.Suspended,
        _ => throw new FormatException($"Unknown subscription status '{text}'."),
    };
}
