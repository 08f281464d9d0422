using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Shared.Infrastructure.Stripe;

namespace Functions.Api.Tests;

/// <summary>
/// Stripe-shaped event bodies in the pinned API version (<see cref="StripeApiVersion.Pinned"/>: a subscription's period
/// on its items, an invoice's subscription under parent.subscription_details), written here as JSON rather than by
/// Stripe.net's serializer, and signed deliveries to our webhook.
/// </summary>
public static class StripeEventJson
{
    public static string CheckoutCompleted(string eventId, DateTimeOffset created, string userId, string planId, string cycle, string customer, string subscription, string tenant = "alpha") =>
        Event(eventId, "checkout.session.completed", created, new
        {
            id = $"cs_{eventId}",
            @object = "checkout.session",
            mode = "subscription",
            status = "complete",
            customer,
            subscription,
            client_reference_id = userId,
            payment_status = "paid",
            amount_total = 999,
            currency = "usd",
            created = created.ToUnixTimeSeconds(),
            metadata = new Dictionary<string, string> { ["tenant_id"] = tenant, ["user_id"] = userId, ["plan_id"] = planId, ["billing_cycle"] = cycle },
        });

    public static string Subscription(string type, string eventId, DateTimeOffset created, string? userId, string customer, string subscription, string status, string price, DateTimeOffset periodStart, DateTimeOffset periodEnd, bool cancelAtPeriodEnd = false) =>
        Event(eventId, type, created, new
        {
            id = subscription,
            @object = "subscription",
            customer,
            status,
            cancel_at_period_end = cancelAtPeriodEnd,
            billing_cycle_anchor = periodStart.ToUnixTimeSeconds(),
            created = periodStart.ToUnixTimeSeconds(),
            start_date = periodStart.ToUnixTimeSeconds(),
            items = new
            {
                @object = "list",
                data = new[]
                {
                    new
                    {
                        id = $"si_{subscription}",
                        @object = "subscription_item",
                        current_period_start = periodStart.ToUnixTimeSeconds(),
                        current_period_end = periodEnd.ToUnixTimeSeconds(),
                        price = new { id = price, @object = "price" },
                        quantity = 1,
                        subscription,
                    },
                },
            },
            metadata = userId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["user_id"] = userId },
        });

    public static string Invoice(string type, string eventId, DateTimeOffset created, string customer, string? subscription, long amount, string currency = "usd") =>
        Event(eventId, type, created, new
        {
            id = $"in_{eventId}",
            @object = "invoice",
            customer,
            amount_paid = type == "invoice.payment_failed" ? 0 : amount,
            amount_due = amount,
            currency,
            status = type == "invoice.payment_failed" ? "open" : "paid",
            created = created.ToUnixTimeSeconds(),
            parent = subscription is null ? null : new { type = "subscription_details", subscription_details = new { subscription, metadata = new Dictionary<string, string>() } },
        });

    public static string ChargeRefunded(string eventId, DateTimeOffset created, string charge, string customer, long amount, long refunded) =>
        Event(eventId, "charge.refunded", created, new { id = charge, @object = "charge", customer, amount, amount_refunded = refunded, currency = "usd", created = created.ToUnixTimeSeconds() });

    public static string Event(string id, string type, DateTimeOffset created, object dataObject, string? apiVersion = null) =>
        JsonSerializer.Serialize(new { id, @object = "event", api_version = apiVersion ?? StripeApiVersion.Pinned, created = created.ToUnixTimeSeconds(), livemode = false, type, data = new { @object = dataObject } });

    public static async Task<HttpResponseMessage> DeliverAsync(this HttpClient client, string tenant, string json, string secret, DateTimeOffset signedAt, string? headerOverride = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/stripe/{tenant}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var header = headerOverride ?? StripeWebhook.Sign(json, secret, signedAt);
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(StripeWebhook.SignatureHeader, header);
        }

        return await client.SendAsync(request);
    }
}
