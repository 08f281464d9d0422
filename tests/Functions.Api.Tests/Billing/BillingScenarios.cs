using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Stripe;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>The subscription lifecycle through signed webhook deliveries, end to end; run once per store.</summary>
public abstract class BillingScenarios
{
    protected abstract ApiFactory Factory { get; }

    private IBillingStore Billing => Factory.Services.GetRequiredService<IBillingStore>();

    private async Task<(HttpClient Client, string Extension, string UserId)> FreeUserAsync(int uses)
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        string? userId = null;
        for (var i = 0; i < uses; i++)
        {
            userId = (string)(await client.IdentifyOkAsync(new { extension_id = extension }))["user_id"]!;
        }

        return (client, extension, userId!);
    }

    private async Task DeliverOkAsync(HttpClient client, string json)
    {
        using var response = await client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.Now);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    protected async Task A_paid_checkout_turns_an_exhausted_free_user_into_pro_at_once_core()
    {
        var (client, extension, userId) = await FreeUserAsync(11);
        var denied = await client.IdentifyOkAsync(new { extension_id = extension });
        var paidAt = Factory.Clock.Now;

        var sub = NewId("sub");
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), paidAt, userId, "pro", "monthly", NewId("cus"), sub));
        var upgraded = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.False((bool)denied["can_use"]!);
        Assert.True((bool)upgraded["can_use"]!);
        Assert.Equal(1000, (int)upgraded["hits_limit"]!);
        Assert.Equal(999, (int)upgraded["hits_remaining"]!);
        Assert.Equal("pro", (string)upgraded["subscription_status"]!);
        Assert.Equal(paidAt.AddMonths(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), (string)upgraded["next_reset"]!);
        var subscription = await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default);
        Assert.Equal(SubscriptionStatus.Active, subscription!.Status);
    }

    protected async Task A_failed_payment_is_past_due_with_the_plan_kept_and_a_paid_invoice_restores_it_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, sub));

        await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.payment_failed", NewId("evt"), t0.AddSeconds(10), customer, sub, 999));
        var pastDue = await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default);
        var stillPro = await client.IdentifyOkAsync(new { extension_id = extension });
        var paidEvent = NewId("evt");
        await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.paid", paidEvent, t0.AddSeconds(20), customer, sub, 999));
        var active = await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default);

        Assert.Equal(SubscriptionStatus.PastDue, pastDue!.Status);
        Assert.Equal(t0.AddSeconds(10).AddDays(3).ToUnixTimeSeconds(), pastDue.GraceUntil!.Value.ToUnixTimeSeconds());
        Assert.Equal("pro", (string)stillPro["subscription_status"]!);
        Assert.Equal(SubscriptionStatus.Active, active!.Status);
        Assert.Null(active.GraceUntil);
        var payment = await Billing.FindPaymentAsync(TenantId.Parse("alpha"), UserId.Parse(userId), $"in_{paidEvent}", default);
        Assert.Equal(new Money(999, "USD"), payment!.Amount);
    }

    protected async Task Cancelling_keeps_the_plan_until_stripe_ends_the_subscription_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, sub));

        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(30), userId, customer, sub, "active", "price_pro_m", t0, t0.AddMonths(1), cancelAtPeriodEnd: true));
        var beforeEnd = await client.IdentifyOkAsync(new { extension_id = extension });
        System.Text.Json.Nodes.JsonObject afterEnd;
        Factory.Clock.Set(t0.AddMonths(1));
        try
        {
            await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.deleted", NewId("evt"), t0.AddMonths(1), userId, customer, sub, "canceled", "price_pro_m", t0, t0.AddMonths(1)));
            afterEnd = await client.IdentifyOkAsync(new { extension_id = extension });
        }
        finally
        {
            Factory.Clock.Set(t0);
        }

        Assert.Equal("pro", (string)beforeEnd["subscription_status"]!);
        Assert.True((await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default))!.Status == SubscriptionStatus.Canceled);
        Assert.Equal("free", (string)afterEnd["subscription_status"]!);
        Assert.Equal(10, (int)afterEnd["hits_limit"]!);
    }

    protected async Task A_subscription_update_switches_the_plan_by_its_price_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, sub));

        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddMinutes(5), null, customer, sub, "active", "price_unl_m", t0, t0.AddMonths(1)));
        var unlimited = await client.IdentifyOkAsync(new { extension_id = extension });

        Assert.Equal("unlimited", (string)unlimited["subscription_status"]!);
        Assert.Null(unlimited["hits_limit"]);
    }

    protected async Task A_refund_is_recorded_once_per_refunded_amount_core()
    {
        var (client, _, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), Factory.Clock.Now, userId, "pro", "monthly", customer, sub));
        var charge = NewId("ch");
        var refundJson = StripeEventJson.ChargeRefunded(NewId("evt"), Factory.Clock.Now, charge, customer, 999, 500);

        await DeliverOkAsync(client, refundJson);
        await DeliverOkAsync(client, refundJson);

        var refund = await Billing.FindPaymentAsync(TenantId.Parse("alpha"), UserId.Parse(userId), $"{charge}_refund_500", default);
        Assert.Equal(("refunded", 500L, "USD"), (refund!.Status, refund.Amount.MinorUnits, refund.Amount.Currency));
    }

    protected async Task The_same_event_delivered_twenty_times_at_once_changes_state_once_core()
    {
        var (client, _, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, sub));
        var eventId = NewId("evt");
        var json = StripeEventJson.Invoice("invoice.paid", eventId, t0.AddSeconds(1), customer, sub, 999);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.Now))));
        var secondRecord = await Billing.RecordPaymentAsync(new PaymentRecord(TenantId.Parse("alpha"), UserId.Parse(userId), $"in_{eventId}", sub, new Money(1, "USD"), "succeeded", t0), default);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.False(secondRecord);
        Assert.Equal(999, (await Billing.FindPaymentAsync(TenantId.Parse("alpha"), UserId.Parse(userId), $"in_{eventId}", default))!.Amount.MinorUnits);
        Assert.Single(await Billing.ListPaymentsAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default), p => p.Id == $"in_{eventId}");
        Assert.True(await Billing.IsEventHandledAsync(TenantId.Parse("alpha"), eventId, default));
    }

    protected async Task An_older_event_never_overwrites_a_newer_state_core()
    {
        var (client, _, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;

        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(100), userId, customer, sub, "active", "price_pro_m", t0, t0.AddMonths(1)));
        using var older = await client.DeliverAsync("alpha", StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(50), userId, customer, sub, "past_due", "price_pro_m", t0, t0.AddMonths(1)), ApiFactory.WebhookSecret, Factory.Clock.Now);
        var olderCheckout = StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "unlimited", "monthly", customer, sub);
        await DeliverOkAsync(client, olderCheckout);

        var stored = await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default);
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, stored!.Status);
        Assert.Equal("pro", stored.PlanId.Value);
    }

    protected async Task When_the_grace_period_ends_the_user_falls_back_to_free_until_an_invoice_is_paid_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, sub) = (NewId("cus"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, sub));
        await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.payment_failed", NewId("evt"), t0, customer, sub, 999));
        var sweep = Factory.Services.GetRequiredService<GracePeriodSweep>();
        var tenant = (await Factory.Services.GetRequiredService<Shared.Domain.Tenants.ITenantDirectory>().FindAsync(TenantId.Parse("alpha"), default))!;

        try
        {
            Factory.Clock.Set(t0.AddDays(3).AddSeconds(-1));
            var duringGrace = await sweep.RunAsync(tenant, default);
            var stillPro = (string)(await client.IdentifyOkAsync(new { extension_id = extension }))["subscription_status"]!;
            Factory.Clock.Set(t0.AddDays(3));
            var expired = await sweep.RunAsync(tenant, default);
            var rerun = await sweep.RunAsync(tenant, default);
            var downgraded = await client.IdentifyOkAsync(new { extension_id = extension });
            await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.paid", NewId("evt"), t0.AddDays(3), customer, sub, 999));
            var restored = await client.IdentifyOkAsync(new { extension_id = extension });

            Assert.Equal(0, duringGrace);
            Assert.Equal("pro", stillPro);
            Assert.Equal(1, expired);
            Assert.Equal(0, rerun);
            Assert.Equal("free", (string)downgraded["subscription_status"]!);
            Assert.Equal("pro", (string)restored["subscription_status"]!);
            Assert.Equal(SubscriptionStatus.Active, (await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), sub, default))!.Status);
        }
        finally
        {
            Factory.Clock.Set(t0);
        }
    }

    protected async Task Bad_signatures_are_refused_and_change_nothing_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var eventId = NewId("evt");
        var json = StripeEventJson.CheckoutCompleted(eventId, Factory.Clock.Now, userId, "pro", "monthly", NewId("cus"), NewId("sub"));

        using var missing = await client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.Now, headerOverride: "");
        using var wrongSecret = await client.DeliverAsync("alpha", json, "whsec_someone_else", Factory.Clock.Now);
        using var stale = await client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.Now.AddMinutes(-6));
        using var garbage = await client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, Factory.Clock.Now, headerOverride: "t=nonsense");
        using var unknownTenant = await client.DeliverAsync("no-such-tenant", json, ApiFactory.WebhookSecret, Factory.Clock.Now);
        using var unconfigured = await client.DeliverAsync("beta", json, ApiFactory.WebhookSecret, Factory.Clock.Now);

        foreach (var response in new[] { missing, wrongSecret, stale, garbage })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_signature", (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
        }

        Assert.Equal(HttpStatusCode.NotFound, unknownTenant.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unconfigured.StatusCode);
        Assert.Equal("webhook_not_configured", (string)(await ApiCalls.ReadObjectAsync(unconfigured))["code"]!);
        Assert.False(await Billing.IsEventHandledAsync(TenantId.Parse("alpha"), eventId, default));
        Assert.Equal("free", (string)(await client.IdentifyOkAsync(new { extension_id = extension }))["subscription_status"]!);
    }

    protected async Task Signed_but_malformed_or_unresolvable_events_are_4xx_core()
    {
        using var client = Factory.Tenant("alpha");

        using var notJson = await client.DeliverAsync("alpha", "{not json", ApiFactory.WebhookSecret, Factory.Clock.Now);
        var now = Factory.Clock.Now;
        using var noData = await client.DeliverAsync("alpha", $$"""{"id":"evt_1","object":"event","api_version":"{{StripeApiVersion.Pinned}}","type":"invoice.paid","created":{{now.ToUnixTimeSeconds()}}}""", ApiFactory.WebhookSecret, now);
        using var badId = await client.DeliverAsync("alpha", StripeEventJson.Invoice("invoice.paid", "evt/../x", now, NewId("cus"), NewId("sub"), 999), ApiFactory.WebhookSecret, now);
        using var oldVersion = await client.DeliverAsync("alpha", StripeEventJson.Event(NewId("evt"), "customer.created", now, new { id = NewId("cus"), @object = "customer" }, apiVersion: "2024-06-20"), ApiFactory.WebhookSecret, now);
        using var unknownCustomer = await client.DeliverAsync("alpha", StripeEventJson.Invoice("invoice.paid", NewId("evt"), now, NewId("cus"), NewId("sub"), 999), ApiFactory.WebhookSecret, now);
        using var otherType = await client.DeliverAsync("alpha", StripeEventJson.Event(NewId("evt"), "customer.created", now, new { id = NewId("cus"), @object = "customer" }), ApiFactory.WebhookSecret, now);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal("invalid_event", (string)(await ApiCalls.ReadObjectAsync(badId))["code"]!);
        Assert.Equal(HttpStatusCode.BadRequest, oldVersion.StatusCode);
        Assert.Equal("unsupported_api_version", (string)(await ApiCalls.ReadObjectAsync(oldVersion))["code"]!);
        Assert.Equal(HttpStatusCode.Conflict, unknownCustomer.StatusCode);
        Assert.Equal("event_not_applicable_yet", (string)(await ApiCalls.ReadObjectAsync(unknownCustomer))["code"]!);
        Assert.Equal(HttpStatusCode.OK, otherType.StatusCode);
    }

    private Shared.Domain.Tenants.Tenant Alpha() => Factory.Services.GetRequiredService<Shared.Domain.Tenants.ITenantDirectory>().FindAsync(TenantId.Parse("alpha"), default).GetAwaiter().GetResult()!;

    protected async Task An_event_about_another_subscription_never_downgrades_the_live_one_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, live, old) = (NewId("cus"), NewId("sub"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, live));

        // Events about an old or a second subscription of the same customer: deleted, expired unpaid, payment failed.
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.deleted", NewId("evt"), t0.AddSeconds(10), userId, customer, old, "canceled", "price_pro_m", t0.AddMonths(-2), t0.AddMonths(-1)));
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(20), null, customer, NewId("sub"), "incomplete_expired", "price_unl_m", t0, t0.AddMonths(1)));
        await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.payment_failed", NewId("evt"), t0.AddSeconds(30), customer, old, 999));
        var after = await client.IdentifyOkAsync(new { extension_id = extension });

        var subscriptions = await Billing.ListSubscriptionsAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default);
        Assert.Equal("pro", (string)after["subscription_status"]!);
        Assert.Equal(1000, (int)after["hits_limit"]!);
        Assert.Equal(SubscriptionStatus.Active, subscriptions.Single(x => x.StripeSubscriptionId == live).Status);
        Assert.Equal(SubscriptionStatus.Canceled, subscriptions.Single(x => x.StripeSubscriptionId == old).Status);
        Assert.Equal(3, subscriptions.Count);
    }

    protected async Task A_second_paid_subscription_is_recorded_as_an_anomaly_not_forgotten_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, first, second) = (NewId("cus"), NewId("sub"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        using var anomalies = new MetricRecorder("billing.anomalies");

        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, first));
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0.AddSeconds(5), userId, "unlimited", "monthly", customer, second));
        var both = await client.IdentifyOkAsync(new { extension_id = extension });
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(9), userId, customer, first, "active", "price_pro_m", t0, t0.AddMonths(1)));
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.deleted", NewId("evt"), t0.AddSeconds(10), userId, customer, second, "canceled", "price_unl_m", t0, t0.AddMonths(1)));
        var afterDeletion = await client.IdentifyOkAsync(new { extension_id = extension });

        var recorded = (await Billing.ListAnomaliesAsync(TenantId.Parse("alpha"), 1000, default)).Where(a => a.UserId == UserId.Parse(userId)).ToList();
        Assert.Equal("unlimited", (string)both["subscription_status"]!);
        var anomaly = Assert.Single(recorded);
        Assert.Equal(BillingAnomaly.SecondActiveSubscription, anomaly.Reason);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), anomaly.SubscriptionIds);
        Assert.Contains(anomalies.Measurements, m => m.Tags["reason"] == BillingAnomaly.SecondActiveSubscription && m.Tags["tenant"] == "alpha");
        Assert.Equal("pro", (string)afterDeletion["subscription_status"]!);
        Assert.Equal(2, (await Billing.ListSubscriptionsAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default)).Count);
    }

    protected async Task Out_of_order_events_are_judged_per_subscription_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, a, b) = (NewId("cus"), NewId("sub"), NewId("sub"));
        var t0 = Factory.Clock.Now;

        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(100), userId, customer, a, "canceled", "price_pro_m", t0, t0.AddMonths(1)));
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.created", NewId("evt"), t0.AddSeconds(50), userId, customer, a, "active", "price_pro_m", t0, t0.AddMonths(1)));
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.created", NewId("evt"), t0.AddSeconds(50), userId, customer, b, "active", "price_unl_m", t0, t0.AddMonths(1)));
        var replay = StripeEventJson.Subscription("customer.subscription.deleted", NewId("evt"), t0.AddSeconds(60), userId, customer, b, "canceled", "price_unl_m", t0, t0.AddMonths(1));
        await DeliverOkAsync(client, replay);
        await DeliverOkAsync(client, StripeEventJson.Subscription("customer.subscription.updated", NewId("evt"), t0.AddSeconds(55), userId, customer, b, "active", "price_unl_m", t0, t0.AddMonths(1)));
        await DeliverOkAsync(client, replay);
        var after = await client.IdentifyOkAsync(new { extension_id = extension });

        var subscriptions = await Billing.ListSubscriptionsAsync(TenantId.Parse("alpha"), UserId.Parse(userId), default);
        Assert.Equal(SubscriptionStatus.Canceled, subscriptions.Single(x => x.StripeSubscriptionId == a).Status);
        Assert.Equal(SubscriptionStatus.Canceled, subscriptions.Single(x => x.StripeSubscriptionId == b).Status);
        Assert.Equal("free", (string)after["subscription_status"]!);
    }

    protected async Task The_grace_sweep_suspends_one_subscription_and_keeps_the_plan_another_gives_core()
    {
        var (client, extension, userId) = await FreeUserAsync(1);
        var (customer, pro, unlimited) = (NewId("cus"), NewId("sub"), NewId("sub"));
        var t0 = Factory.Clock.Now;
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "pro", "monthly", customer, pro));
        await DeliverOkAsync(client, StripeEventJson.CheckoutCompleted(NewId("evt"), t0, userId, "unlimited", "monthly", customer, unlimited));
        await DeliverOkAsync(client, StripeEventJson.Invoice("invoice.payment_failed", NewId("evt"), t0, customer, unlimited, 1999));
        var sweep = Factory.Services.GetRequiredService<GracePeriodSweep>();
        try
        {
            Factory.Clock.Set(t0.AddDays(3));
            await sweep.RunAsync(Alpha(), default);
            var after = await client.IdentifyOkAsync(new { extension_id = extension });

            Assert.Equal(SubscriptionStatus.Suspended, (await Billing.GetSubscriptionAsync(TenantId.Parse("alpha"), UserId.Parse(userId), unlimited, default))!.Status);
            Assert.Equal("pro", (string)after["subscription_status"]!);
        }
        finally
        {
            Factory.Clock.Set(t0);
        }
    }

    protected async Task Plans_list_prices_in_minor_units_and_their_billing_cycles_core()
    {
        using var client = Factory.Tenant("alpha");

        var plans = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/v1/plans"))!.AsArray();

        Assert.Equal(["free", "pro", "unlimited"], plans.Select(p => (string)p!["id"]!));
        var pro = plans[1]!;
        Assert.Equal(999, (long)pro["price_monthly_cents"]!);
        Assert.Equal(9999, (long)pro["price_yearly_cents"]!);
        Assert.Equal("USD", (string)pro["currency"]!);
        Assert.Equal(["monthly", "yearly"], pro["billing_cycles"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["monthly", "lifetime"], plans[2]!["billing_cycles"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(49900, (long)plans[2]!["price_lifetime_cents"]!);
        Assert.Empty(plans[0]!["billing_cycles"]!.AsArray());
    }
}
