using System.Text.RegularExpressions;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Stripe;
using Stripe.Checkout;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// The one place where Stripe.net's typed events become our domain events (Shared.Domain/Billing/BillingEvents.cs).
/// Every field billing reads is range-checked here, before the handler writes anything:
/// <list type="bullet">
/// <item>ids: Stripe's prefix (<c>evt_</c>, <c>cs_</c>, <c>cus_</c>, <c>sub_</c>, <c>in_</c>, <c>ch_</c>/<c>py_</c>), then letters, digits and <c>_</c>, 255 characters at most;</item>
/// <item>the event's <c>created</c>: at most 31 days old (Stripe retries for 3 days; resends reach 30) and not later than
/// the signature tolerance ahead of our clock; other timestamps between 2010 and ten years ahead, a period's end not
/// before its start;</item>
/// <item>amounts: 0 to 999,999,999,999 minor units, with a three-letter currency;</item>
/// <item>metadata: at most 50 keys of up to 40 characters, values up to 500 (Stripe's own limits); the keys we read
/// (<c>tenant_id</c>, <c>user_id</c>, <c>plan_id</c>, <c>billing_cycle</c>) well-formed when present;</item>
/// <item>shapes: the object must be the one the event type names, with the parts we read (a subscription's item and price).</item>
/// </list>
/// An event that fails is a 400 <c>invalid_event</c> and is not remembered. Types billing does not act on become
/// <see cref="OtherEvent"/> (acknowledged).
/// </summary>
public static partial class StripeEventMapper
{
    public const long MaxAmountMinor = 999_999_999_999;
    public static readonly TimeSpan MaxEventAge = TimeSpan.FromDays(31);
    private static readonly DateTimeOffset Earliest = new(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAhead = TimeSpan.FromDays(3660);
    private static readonly HashSet<string> SubscriptionStatuses = ["incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"];
    private static readonly HashSet<string> CheckoutModes = ["payment", "setup", "subscription"];
    private static readonly HashSet<string> PaymentStatuses = ["paid", "unpaid", "no_payment_required"];

    public static Result<BillingEvent> Map(Event stripeEvent, DateTimeOffset now)
    {
        try
        {
            var id = Id(stripeEvent.Id, "evt", "id");
            var type = stripeEvent.Type is { } t && EventType().IsMatch(t) ? t : throw new Refusal("type is not an event type.");
            var created = At(stripeEvent.Created, "created");
            if (created < now - MaxEventAge || created > now.AddSeconds(StripeWebhook.ToleranceSeconds))
            {
                throw new Refusal($"created ({created:O}) is more than {MaxEventAge.TotalDays} days before or {StripeWebhook.ToleranceSeconds} s after now.");
            }

            var data = stripeEvent.Data?.Object;
            return type switch
            {
                CheckoutCompleted.Completed or CheckoutCompleted.AsyncPaymentSucceeded or CheckoutCompleted.AsyncPaymentFailed => Checkout(id, type, created, As<Session>(data, type), now),
                "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted" => Subscription(id, type, created, As<global::Stripe.Subscription>(data, type), now),
                "invoice.paid" or "invoice.payment_succeeded" or "invoice.payment_failed" => Invoice(id, type, created, As<Invoice>(data, type)),
                "charge.refunded" => Refund(id, created, As<Charge>(data, type)),
                _ => new OtherEvent(id, type, created),
            };
        }
        catch (Refusal refusal)
        {
            return new Error(ErrorKind.Validation, "invalid_event", $"Event {Printable(stripeEvent.Id)} ({Printable(stripeEvent.Type)}): {refusal.Message}");
        }
    }

    private static CheckoutCompleted Checkout(string id, string type, DateTimeOffset created, Session s, DateTimeOffset now)
    {
        var mode = s.Mode is { } m && CheckoutModes.Contains(m) ? m : throw new Refusal("data.object.mode is not payment, setup or subscription.");
        var paymentStatus = s.PaymentStatus is null || PaymentStatuses.Contains(s.PaymentStatus) ? s.PaymentStatus : throw new Refusal("data.object.payment_status is unknown.");
        Money? total = s.AmountTotal is { } amount ? Amount(amount, s.Currency, "data.object.amount_total") : null;
        if (s.Created != default)
        {
            ObjectTime(s.Created, "data.object.created", now);
        }

        if (s.ClientReferenceId is { Length: > 200 })
        {
            throw new Refusal("data.object.client_reference_id is longer than 200 characters.");
        }

        return new CheckoutCompleted(
            id,
            created,
            Metadata(s.Metadata, "data.object.metadata"),
            Id(s.Id, "cs", "data.object.id"),
            mode,
            OptionalId(s.CustomerId, "cus", "data.object.customer"),
            OptionalId(s.SubscriptionId, "sub", "data.object.subscription"),
            s.ClientReferenceId,
            paymentStatus,
            total,
            type);
    }

    private static SubscriptionChanged Subscription(string id, string type, DateTimeOffset created, global::Stripe.Subscription s, DateTimeOffset now)
    {
        // Since API version 2025-03-31 the period lives on each subscription item; we sell one price per subscription.
        var item = s.Items?.Data is { Count: > 0 } items ? items[0] ?? throw new Refusal("data.object.items.data[0] is null.") : throw new Refusal("data.object.items has no item.");
        var price = item.Price?.Id is { } priceId && PriceId().IsMatch(priceId) ? priceId : throw new Refusal("data.object.items.data[0].price.id is missing or malformed.");
        var start = ObjectTime(item.CurrentPeriodStart, "data.object.items.data[0].current_period_start", now);
        var end = ObjectTime(item.CurrentPeriodEnd, "data.object.items.data[0].current_period_end", now);
        if (end < start)
        {
            throw new Refusal("the item's current period ends before it starts.");
        }

        return new SubscriptionChanged(
            id,
            type,
            created,
            Metadata(s.Metadata, "data.object.metadata"),
            Id(s.Id, "sub", "data.object.id"),
            Id(s.CustomerId, "cus", "data.object.customer"),
            s.Status is { } status && SubscriptionStatuses.Contains(status) ? status : throw new Refusal("data.object.status is not a subscription status."),
            price,
            start,
            end,
            s.BillingCycleAnchor == default ? null : ObjectTime(s.BillingCycleAnchor, "data.object.billing_cycle_anchor", now),
            s.CancelAtPeriodEnd);
    }

    private static InvoiceEvent Invoice(string id, string type, DateTimeOffset created, Invoice invoice)
    {
        // Since API version 2025-03-31 an invoice names its subscription (and that subscription's metadata) under parent.
        var details = invoice.Parent?.SubscriptionDetails;
        var failed = type == "invoice.payment_failed";
        return new InvoiceEvent(
            id,
            type,
            created,
            details?.Metadata is { Count: > 0 } subscriptionMetadata ? Metadata(subscriptionMetadata, "data.object.parent.subscription_details.metadata") : Metadata(invoice.Metadata, "data.object.metadata"),
            Id(invoice.Id, "in", "data.object.id"),
            Id(invoice.CustomerId, "cus", "data.object.customer"),
            OptionalId(details?.SubscriptionId, "sub", "data.object.parent.subscription_details.subscription"),
            Amount(failed ? invoice.AmountDue : invoice.AmountPaid, invoice.Currency, failed ? "data.object.amount_due" : "data.object.amount_paid"));
    }

    private static ChargeRefunded Refund(string id, DateTimeOffset created, Charge charge)
    {
        var refunded = Amount(charge.AmountRefunded, charge.Currency, "data.object.amount_refunded");
        if (charge.AmountRefunded > charge.Amount)
        {
            throw new Refusal("data.object.amount_refunded exceeds the charge's amount.");
        }

        var chargeId = charge.Id is { } c && (c.StartsWith("ch_", StringComparison.Ordinal) || c.StartsWith("py_", StringComparison.Ordinal)) ? Id(c, c[..2], "data.object.id") : throw new Refusal("data.object.id is not a charge id.");
        return new ChargeRefunded(id, created, Metadata(charge.Metadata, "data.object.metadata"), chargeId, OptionalId(charge.CustomerId, "cus", "data.object.customer"), refunded);
    }

    private static T As<T>(IHasObject? data, string type)
        where T : class, IHasObject =>
        data as T ?? throw new Refusal($"data.object is {(data is null ? "missing or of an unknown kind" : $"a {data.Object}")}, not what {type} carries.");

    private static string Id(string? value, string prefix, string field) =>
        value is not null && value.Length <= 255 && value.StartsWith(prefix + "_", StringComparison.Ordinal) && StripeIdBody().IsMatch(value.AsSpan(prefix.Length + 1))
            ? value
            : throw new Refusal($"{field} is not a Stripe id starting with {prefix}_.");

    private static string? OptionalId(string? value, string prefix, string field) => value is null ? null : Id(value, prefix, field);

    private static DateTimeOffset At(DateTime value, string field)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
        return at >= Earliest ? at : throw new Refusal($"{field} is missing or before 2010.");
    }

    private static DateTimeOffset ObjectTime(DateTime value, string field, DateTimeOffset now)
    {
        var at = At(value, field);
        return at <= now + MaxAhead ? at : throw new Refusal($"{field} is more than ten years ahead.");
    }

    private static Money Amount(long minorUnits, string? currency, string field)
    {
        if (minorUnits is < 0 or > MaxAmountMinor)
        {
            throw new Refusal($"{field} is outside 0..{MaxAmountMinor}.");
        }

        return currency is { Length: 3 } && currency.All(char.IsAsciiLetter)
            ? new Money(minorUnits, currency.ToUpperInvariant())
            : throw new Refusal($"{field} has no three-letter currency.");
    }

    private static Dictionary<string, string> Metadata(Dictionary<string, string>? metadata, string field)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return copy;
        }

        if (metadata.Count > 50)
        {
            throw new Refusal($"{field} has more than 50 keys.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > 40 || value is null || value.Length > 500)
            {
                throw new Refusal($"{field} has a key or value beyond Stripe's limits (keys 1–40, values up to 500 characters).");
            }

            copy[key] = value;
        }

        if ((copy.TryGetValue("tenant_id", out var tenant) && !TenantId.TryParse(tenant, out _))
            || (copy.TryGetValue("user_id", out var user) && !UserId.TryParse(user, out _))
            || (copy.TryGetValue("plan_id", out var plan) && !PlanId.TryParse(plan, out _))
            || (copy.TryGetValue("billing_cycle", out var cycle) && !BillingText.TryParseCycle(cycle, out _)))
        {
            throw new Refusal($"{field} has a tenant_id, user_id, plan_id or billing_cycle that is not well-formed.");
        }

        return copy;
    }

    /// <summary>For the error detail only: ids as sent can be anything, so only a short, printable form is echoed.</summary>
    private static string Printable(string? text) =>
        text is null ? "(none)" : new string([.. text.Take(80).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '?')]);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex StripeIdBody();

    [GeneratedRegex("^(?=.{1,100}$)[a-z0-9_]+(\\.[a-z0-9_]+){1,4}$")]
    private static partial Regex EventType();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,255}$")]
    private static partial Regex PriceId();

    /// <summary>Why an event is refused; thrown by the checks above and caught in <see cref="Map"/> only.</summary>
    private sealed class Refusal(string message) : Exception(message);
}
