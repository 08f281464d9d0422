using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>What the Stripe event use cases share: finding the user an event is about, Stripe's statuses, and the two ways an event is refused.</summary>
internal static class StripeEventRules
{
    public static UserId? UserOf(IReadOnlyDictionary<string, string> metadata, string? clientReferenceId) =>
        UserId.TryParse(metadata.GetValueOrDefault("user_id") ?? clientReferenceId, out var id) ? id : null;

    public static SubscriptionStatus StatusOf(string stripeStatus) => stripeStatus switch
    {
        "active" or "trialing" => SubscriptionStatus.Active,
        "past_due" => SubscriptionStatus.PastDue,
        "incomplete" => SubscriptionStatus.Incomplete,
        _ => SubscriptionStatus.Canceled, // canceled, unpaid, incomplete_expired, paused
    };

    /// <summary>Not applied and not remembered: the answer is a 409, so Stripe retries (the missing piece may arrive).</summary>
    public static Error Unresolvable(BillingEvent e, string why) =>
        new(ErrorKind.Conflict, "event_not_applicable_yet", $"Event {e.Id} ({e.Type}) cannot be applied yet: {why}.");

    /// <summary>Validly signed but not a state this backend can accept: a 400, nothing written.</summary>
    public static Error Invalid(BillingEvent e, string why) =>
        new(ErrorKind.Validation, "invalid_event", $"Event {e.Id} ({e.Type}) is not acceptable: {why}.");
}
