using System.Text.Json;
using System.Text.RegularExpressions;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// Reads the Stripe event JSON (API version pinned in <see cref="StripeApi.Version"/>) into <see cref="BillingEvent"/>s.
/// Newer API versions moved a few fields (subscription periods onto items, an invoice's subscription under
/// <c>parent</c>); both places are read.
/// </summary>
public static partial class StripeEventParser
{
    public static Result<BillingEvent> Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var id = String(root, "id");
            var type = String(root, "type");
            if (root.ValueKind != JsonValueKind.Object || id is null || !StripeId().IsMatch(id) || type is null || Long(root, "created") is not { } created
                || !root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var o) || o.ValueKind != JsonValueKind.Object)
            {
                return Invalid("An event needs id, type, created and data.object.");
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(created);
            return type switch
            {
                "checkout.session.completed" => new CheckoutCompleted(id, at, Metadata(o), Required(o, "id"), String(o, "mode") ?? "", Reference(o, "customer"), Reference(o, "subscription"), String(o, "client_reference_id"), Long(o, "amount_total"), String(o, "currency")),
                "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted" => Subscription(id, type, at, o),
                "invoice.paid" or "invoice.payment_succeeded" or "invoice.payment_failed" => Invoice(id, type, at, o),
                "charge.refunded" => new ChargeRefunded(id, at, Metadata(o), Required(o, "id"), Reference(o, "customer") ?? throw new MissingFieldException("The charge has no customer."), Long(o, "amount_refunded") ?? 0, String(o, "currency") ?? "usd"),
                _ => new OtherEvent(id, type, at),
            };
        }
        catch (JsonException)
        {
            return Invalid("The body is not JSON.");
        }
        catch (MissingFieldException e)
        {
            return Invalid(e.Message);
        }
    }

    private static SubscriptionChanged Subscription(string id, string type, DateTimeOffset at, JsonElement o)
    {
        var item = o.TryGetProperty("items", out var items) && items.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 ? list[0] : default;
        var priceId = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("price", out var price) ? Reference(item, "price") ?? String(price, "id") : null;
        var start = Long(o, "current_period_start") ?? (item.ValueKind == JsonValueKind.Object ? Long(item, "current_period_start") : null) ?? at.ToUnixTimeSeconds();
        var end = Long(o, "current_period_end") ?? (item.ValueKind == JsonValueKind.Object ? Long(item, "current_period_end") : null) ?? at.ToUnixTimeSeconds();
        return new SubscriptionChanged(
            id, type, at, Metadata(o), Required(o, "id"), Reference(o, "customer") ?? throw new MissingFieldException("The subscription has no customer."),
            String(o, "status") ?? "", priceId, DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(end),
            Long(o, "billing_cycle_anchor") is { } anchor ? DateTimeOffset.FromUnixTimeSeconds(anchor) : null,
            o.TryGetProperty("cancel_at_period_end", out var cancel) && cancel.ValueKind == JsonValueKind.True);
    }

    private static InvoiceEvent Invoice(string id, string type, DateTimeOffset at, JsonElement o)
    {
        var details = o.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty("subscription_details", out var d) ? d
            : o.TryGetProperty("subscription_details", out var legacy) ? legacy : default;
        var subscription = Reference(o, "subscription") ?? (details.ValueKind == JsonValueKind.Object ? Reference(details, "subscription") : null);
        var metadata = details.ValueKind == JsonValueKind.Object ? Metadata(details) : Metadata(o);
        var amount = type == "invoice.payment_failed" ? Long(o, "amount_due") : Long(o, "amount_paid");
        return new InvoiceEvent(
            id, type, at, metadata, Required(o, "id"), Reference(o, "customer") ?? throw new MissingFieldException("The invoice has no customer."),
            subscription, amount ?? 0, String(o, "currency") ?? "usd");
    }

    private static Error Invalid(string detail) => new(ErrorKind.Validation, "invalid_event", detail);

    private static string Required(JsonElement o, string name) => String(o, name) ?? throw new MissingFieldException($"data.object.{name} is missing.");

    private static string? String(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>A reference is an id string, or an expanded object with an id.</summary>
    private static string? Reference(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => String(v, "id"),
            _ => null,
        } : null;

    private static Dictionary<string, string> Metadata(JsonElement o)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in m.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    metadata[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return metadata;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,255}$")]
    private static partial Regex StripeId();
}

public static class StripeApi
{
    /// <summary>The Stripe API version requests are pinned to (and webhook endpoints should be created with).</summary>
    public const string Version = "2024-06-20";
}
