using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Shared.Infrastructure.Stripe;

namespace Functions.Api.Tests;

/// <summary>Stripe-shaped event bodies (API version 2024-06-20) and signed deliveries to our webhook.</summary>
public static class StripeEventJson
{
    public static string CheckoutCompleted(string eventId, DateTimeOffset created, string userId, string planId, string cycle, string customer, string subscription, string tenant = "alpha") =>
        Event(eventId, "checkout.session.completed", created, new
        {
            id = $"cs_{eventId}",
            @object = "checkout.session",
            mode = "subscription",
            customer,
            subscription,
            client_reference_id = userId,
            payment_status = "paid",
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
            current_period_start = periodStart.ToUnixTimeSeconds(),
            current_period_end = periodEnd.ToUnixTimeSeconds(),
            items = new { data = new[] { new { id = "si_1", price = new { id = price } } } },
            metadata = userId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["user_id"] = userId },
        });

    public static string Invoice(string type, string eventId, DateTimeOffset created, string customer, string subscription, long amount) =>
        Event(eventId, type, created, new
        {
            id = $"in_{eventId}",
            @object = "invoice",
            customer,
            subscription,
            amount_paid = type == "invoice.payment_failed" ? 0 : amount,
            amount_due = amount,
            currency = "usd",
        });

    private static string Event(string id, string type, DateTimeOffset created, object dataObject) =>
        JsonSerializer.Serialize(new { id, @object = "event", api_version = StripeApi.Version, created = created.ToUnixTimeSeconds(), type, data = new { @object = dataObject } });

    public static async Task<HttpResponseMessage> DeliverAsync(this HttpClient client, string tenant, string json, string secret, DateTimeOffset signedAt, string? headerOverride = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/stripe/{tenant}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var header = headerOverride ?? StripeSignature.Sign(bytes, secret, signedAt);
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(StripeSignature.Header, header);
        }

        return await client.SendAsync(request);
    }
}
