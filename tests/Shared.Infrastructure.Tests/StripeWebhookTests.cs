using System.Diagnostics;
using System.Text;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Infrastructure.Stripe;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// Webhook verification through Stripe.net, checked against headers made by Stripe's official Node client (an
/// independent implementation), at the time the injected clock says; and what Stripe.net parses.
/// </summary>
public sealed class StripeWebhookTests
{
    private const string Secret = "whsec_test_secret_for_signatures";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_300_000);
    private static readonly string Payload =
        $$$$"""{"id":"evt_1","object":"event","api_version":"{{{{StripeApiVersion.Pinned}}}}","created":1795300000,"type":"customer.created","data":{"object":{"id":"cus_1","object":"customer"}}}""";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_header_made_by_the_official_stripe_client_verifies()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());

        Assert.Equal(Payload, StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now).Value);
    }

    [Fact]
    public void Stripe_nets_signer_agrees_with_the_official_client_byte_for_byte() =>
        Assert.Equal(OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds()), StripeWebhook.Sign(Payload, Secret, Now));

    [Fact]
    public void A_tampered_body_does_not_verify()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());

        var result = StripeWebhook.Verify(Bytes(Payload.Replace("cus_1", "cus_2", StringComparison.Ordinal)), header, [Secret], Now);

        Assert.Equal("invalid_signature", result.Error!.Code);
    }

    [Fact]
    public void Another_secret_does_not_verify_but_a_second_accepted_secret_does()
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());

        Assert.False(StripeWebhook.Verify(Bytes(Payload), header, ["whsec_other"], Now).IsSuccess);
        Assert.True(StripeWebhook.Verify(Bytes(Payload), header, ["whsec_new_after_rotation", Secret], Now).IsSuccess);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void The_timestamp_must_be_within_five_minutes_of_the_injected_clock(int offsetSeconds, bool valid)
    {
        var header = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds() + offsetSeconds);

        Assert.Equal(valid, StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now).IsSuccess);

        // Years away from the machine's clock, by the injected one only: the same header fails at another "now".
        Assert.False(StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now.AddYears(5)).IsSuccess);
    }

    [Fact]
    public void Any_of_several_v1_signatures_may_match()
    {
        var good = OfficialHeader(Payload, Secret, Now.ToUnixTimeSeconds());
        var parts = good.Split(',');

        var header = $"{parts[0]},v1={new string('0', 64)},{parts[1]},v0={new string('a', 64)}";

        Assert.True(StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now).IsSuccess);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=abc,v1=00")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1795300000,v0=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=99999999999999999999,v1=00")]
    [InlineData("t=1795300000,v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Missing_and_malformed_headers_are_refused_not_thrown(string? header) =>
        Assert.Equal("invalid_signature", StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now).Error!.Code);

    [Fact]
    public void A_correctly_signed_timestamp_stripe_net_cannot_read_is_refused_not_thrown()
    {
        // Stripe.net reads t as a 32-bit number; a signer with the secret could still send a larger one.
        const string t = "99999999999";
        var header = $"t={t},v1={Signature(t)}";

        Assert.Equal("invalid_signature", StripeWebhook.Verify(Bytes(Payload), header, [Secret], Now).Error!.Code);
    }

    private static string Signature(string t) => global::Stripe.EventUtility.ComputeSignature(Secret, t, Payload);

    [Fact]
    public void A_body_that_is_not_utf8_is_refused() =>
        Assert.Equal("invalid_signature", StripeWebhook.Verify([0x7b, 0xff, 0xfe, 0x7d], "t=1,v1=00", [Secret], Now).Error!.Code);

    [Theory]
    [InlineData("{not json", "invalid_event")]
    [InlineData("[]", "invalid_event")]
    [InlineData("{}", "invalid_event")]
    [InlineData("""{"object":"event","data":{"object":{}}}""", "unsupported_api_version")]
    [InlineData("""{"object":"event","api_version":null,"data":{"object":{}}}""", "unsupported_api_version")]
    [InlineData("""{"object":"event","api_version":"2024-06-20","data":{"object":{}}}""", "unsupported_api_version")]
    [InlineData("""{"object":"event","api_version":"2025-03-31.basil","data":{"object":{}}}""", "unsupported_api_version")]
    [InlineData("""{"object":"event","api_version":"2026-10-28.endive","request":5,"data":{"object":{}}}""", "invalid_event")]
    [InlineData("""{"object":"event","api_version":"2026-10-28.endive","created":-5,"data":{"object":{}}}""", "invalid_event")]
    [InlineData("""{"object":"event","api_version":"2026-10-28.endive","data":{"object":{"object":5}}}""", "invalid_event")]
    [InlineData("""{"object":"event","api_version":"2026-10-28.endive","data":{"object":{"object":"subscription","items":[1]}}}""", "invalid_event")]
    [InlineData("""{"object":"event","api_version":"2026-10-28.endive","data":{"object":{"object":"charge","amount_refunded":1e30}}}""", "invalid_event")]
    public void Bodies_stripe_net_cannot_read_are_refused_not_thrown(string json, string code) =>
        Assert.Equal(code, StripeWebhook.Parse(json).Error!.Code);

    [Fact]
    public async Task Events_the_sandbox_emits_are_accepted_by_stripe_net_unchanged_and_map_to_domain_events()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_795_300_000);
        var sub = new SandboxSubscriptionJson(now);

        foreach (var (json, expected) in sub.All())
        {
            // Exactly what a Stripe.net user would do with a webhook body: ConstructEvent, API version check on.
            var header = StripeWebhook.Sign(json, Secret, now);
            var parsed = global::Stripe.EventUtility.ConstructEvent(json, header, Secret, 300, now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: true);
            Assert.Equal(StripeApiVersion.Pinned, parsed.ApiVersion);

            var mapped = StripeEventMapper.Map(parsed, now);
            Assert.True(mapped.IsSuccess, mapped.Error?.Detail);
            expected(mapped.Value);
        }

        await Task.CompletedTask;
    }

    /// <summary>stripe.webhooks.generateTestHeaderString from the pinned npm package.</summary>
    private static string OfficialHeader(string payload, string secret, long timestamp)
    {
        var script = "const s=require('stripe')('sk_test_unused');let d='';process.stdin.setEncoding('utf8');process.stdin.on('data',c=>d+=c).on('end',()=>process.stdout.write(" +
            "s.webhooks.generateTestHeaderString({payload:d,secret:process.argv[1],timestamp:Number(process.argv[2])})));";
        var start = new ProcessStartInfo("node", ["-e", script, secret, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = RepositoryPaths.Root(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        node.StandardInput.Write(payload);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"node failed (run npm ci first): {error}");
        return output.Trim();
    }

    /// <summary>The sandbox's event shapes, built by its own code path (Stripe.net's models and serializer).</summary>
    private sealed class SandboxSubscriptionJson(DateTimeOffset now)
    {
        public IEnumerable<(string Json, Action<BillingEvent> Expected)> All()
        {
            var subscription = new global::Stripe.Subscription
            {
                Id = "sub_sandbox_1",
                Object = "subscription",
                CustomerId = "cus_sandbox_1",
                Status = "active",
                Created = now.UtcDateTime,
                StartDate = now.UtcDateTime,
                BillingCycleAnchor = now.UtcDateTime,
                Items = new global::Stripe.StripeList<global::Stripe.SubscriptionItem>
                {
                    Object = "list",
                    Data = [new global::Stripe.SubscriptionItem { Id = "si_1", Object = "subscription_item", Created = now.UtcDateTime, CurrentPeriodStart = now.UtcDateTime, CurrentPeriodEnd = now.AddMonths(1).UtcDateTime, Price = new global::Stripe.Price { Id = "price_pro_m", Object = "price" } }],
                },
            };
            yield return (LocalPaymentSandbox.Event("customer.subscription.created", now, subscription), e =>
            {
                var s = Assert.IsType<SubscriptionChanged>(e);
                Assert.Equal(("sub_sandbox_1", "cus_sandbox_1", "price_pro_m", now.AddMonths(1)), (s.SubscriptionId, s.CustomerId, s.PriceId, s.CurrentPeriodEnd));
            }
            );

            var invoice = new global::Stripe.Invoice
            {
                Id = "in_sandbox_1",
                Object = "invoice",
                CustomerId = "cus_sandbox_1",
                AmountPaid = 999,
                Currency = "usd",
                Created = now.UtcDateTime,
                Parent = new global::Stripe.InvoiceParent { Type = "subscription_details", SubscriptionDetails = new global::Stripe.InvoiceParentSubscriptionDetails { SubscriptionId = "sub_sandbox_1" } },
            };
            yield return (LocalPaymentSandbox.Event("invoice.paid", now, invoice), e =>
            {
                var i = Assert.IsType<InvoiceEvent>(e);
                Assert.Equal(("sub_sandbox_1", new Money(999, "USD")), (i.SubscriptionId, i.Amount));
            }
            );
        }
    }
}
