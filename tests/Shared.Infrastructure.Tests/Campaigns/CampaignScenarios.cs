using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Privacy;
using Shared.Domain.Wallets;
using TestSupport;
using Xunit;
using static Shared.Infrastructure.Tests.Campaigns.CampaignHarness;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>
/// Campaign dispatch on both stores: redelivery, crashes, concurrent campaigns on one wallet, segmentation, consent
/// withdrawn mid-campaign, failed deliveries and cancellation; the charge always equals what was delivered, and the
/// wallet's ledger always sums to its balance.
/// </summary>
public abstract class CampaignScenarios
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static readonly string[] Pins = ["560001"];

    private async Task<(StoreSet Set, CampaignHarness H)> HarnessAsync(int batchSize = 500, int chunkSize = 100, bool whatsAppSender = false, int sendConcurrency = 16, int maxActive = 5, int maxAudience = 1_000_000)
    {
        var clock = new ManualTimeProvider(Now);
        var set = await StoreAsync(clock);
        return (set, CampaignHarness.Create(set, clock, batchSize, chunkSize, whatsAppSender, sendConcurrency, maxActive, maxAudience));
    }

    private static async Task<List<UserId>> CustomersAsync(CampaignHarness h, int count, bool inApp = true, bool push = true)
    {
        var list = new List<UserId>();
        for (var i = 0; i < count; i++)
        {
            list.Add(await h.CustomerAsync(Alpha, Pins, inApp, push));
        }

        return list;
    }

    [StoreFact]
    public async Task Redelivered_dispatch_and_batches_hold_once_settle_once_and_notify_each_customer_once()
    {
        var (set, h) = await HarnessAsync(batchSize: 7);
        await using var _ = set;
        var customers = await CustomersAsync(h, 30);
        await h.FundAsync(10_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app", "push"]);

        await h.DrainAsync(dispatchDeliveries: 3, batchDeliveries: 2);

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(30, done.Audience);
        Assert.Equal(5, done.BatchCount);
        Assert.Equal(30 * (10 + 20), done.HeldCents);
        Assert.Equal(60, done.Sent);
        Assert.Equal(done.HeldCents, done.ChargedCents);
        Assert.Equal(0, done.ReleasedCents);
        // Each customer once per channel, under the deterministic id.
        Assert.Equal(30, h.InApp.Sent.Count);
        Assert.Equal(30, h.Push.Sent.Count);
        Assert.Equal(customers.Select(u => u.Value).Order(StringComparer.Ordinal), h.InApp.Sent.Select(n => n.UserId.Value).Order(StringComparer.Ordinal));
        Assert.All(h.AllSent, n => Assert.Equal(CampaignDispatcher.MessageIdOf(campaign.Id, n.UserId, n.Channel), n.MessageId));
        var ledger = await h.LedgerAsync();
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Hold);
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Charge);
        Assert.DoesNotContain(ledger, e => e.Kind == LedgerEntryKind.Release);
        var balance = await h.AssertWalletConsistentAsync();
        Assert.Equal(new WalletBalance(10_000 - 900, 0), balance);
        // One invoice for the settled charge, whatever the redeliveries: a line per channel at the snapshot's prices.
        var invoice = Assert.Single(await h.InvoicesAsync());
        Assert.Equal((Shared.Domain.Invoices.InvoiceSourceKind.Campaign, campaign.Id, 900L, "USD"), (invoice.SourceKind, invoice.SourceReference, invoice.Total, invoice.Currency));
        Assert.Equal([("Campaign messages (in_app)", 30L, 10L, 300L), ("Campaign messages (push)", 30L, 20L, 600L)], invoice.Lines.Select(l => (l.Description, l.Quantity, l.UnitAmount, l.Amount)));
        Assert.Equal("campaign_finished", (await h.Service.CancelAsync(Alpha, h.Shopkeeper, campaign.Id, default)).Error!.Code);
    }

    [StoreFact]
    public async Task A_crash_between_the_hold_and_the_fan_out_completes_on_redelivery_with_one_hold()
    {
        var (set, h) = await HarnessAsync(batchSize: 4);
        await using var _ = set;
        await CustomersAsync(h, 10, push: false);
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);
        h.Queue.FailNextSends = 1; // the fan-out's send fails after the hold was made

        var failures = await h.DrainAsync();

        Assert.Equal(1, failures);
        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(100, done.ChargedCents);
        Assert.Equal(10, h.InApp.Sent.Count);
        Assert.Single(await h.LedgerAsync(), e => e.Kind == LedgerEntryKind.Hold);
        Assert.Equal(new WalletBalance(900, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task Crashes_between_the_fan_out_and_the_settlement_complete_on_redelivery_charged_exactly_for_what_was_delivered()
    {
        var (set, h) = await HarnessAsync(batchSize: 4);
        await using var _ = set;
        var customers = await CustomersAsync(h, 10, push: false);
        h.InApp.FailFor[customers[3].Value] = true; // one permanent failure: released, not charged
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);
        h.Campaigns.FailRecording = 1; // sent, not recorded: the batch comes back and sends the same ids again
        h.Campaigns.FailAfterCompletingBatch = 1; // a batch done but its completion check lost
        h.Campaigns.FailBeforeMarkingSettled = 1; // the wallet settled, the campaign not yet told

        var failures = await h.DrainAsync();

        Assert.Equal(3, failures);
        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.True(done.Settled);
        Assert.Equal(9, done.Sent);
        Assert.Equal(1, done.Failed);
        Assert.Equal(90, done.ChargedCents);
        Assert.Equal(10, done.ReleasedCents);
        // Every customer reached (the resent ids are the same messages, which the inbox stores once).
        Assert.Equal(10, h.InApp.Sent.Select(n => n.MessageId).Distinct().Count());
        var ledger = await h.LedgerAsync();
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Hold);
        Assert.Equal(-90, Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Charge).Amount);
        Assert.Equal(-10, Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Release).HeldDelta);
        Assert.Equal(new WalletBalance(910, 0), await h.AssertWalletConsistentAsync());
        // Settled in the wallet, then a crash before the campaign was marked: the retry invoices once, for what was charged.
        Assert.Equal(90, Assert.Single(await h.InvoicesAsync()).Total);
    }

    [StoreFact]
    public async Task Twenty_concurrent_campaigns_on_one_wallet_dispatch_only_those_that_fit_and_never_overdraw()
    {
        var (set, h) = await HarnessAsync(batchSize: 5, maxActive: 20);
        await using var _ = set;
        await CustomersAsync(h, 15, push: false); // 15 × 10 = 150 a campaign
        await h.FundAsync(1_000); // fits 6 (900); 20 × 150 = 3000 asked
        var offer = await h.OfferAsync(Pins);
        var campaigns = new List<Campaign>();
        for (var i = 0; i < 20; i++)
        {
            campaigns.Add(await h.CreateAsync(offer, Pins, ["in_app"]));
        }

        await Task.WhenAll(campaigns.Select(c => Task.Run(() => h.Dispatcher.DispatchAsync(Alpha, c.Id, default))));

        var states = await Task.WhenAll(campaigns.Select(c => h.GetAsync(c.Id)));
        Assert.Equal(6, states.Count(c => c.Status == CampaignStatus.Dispatching));
        Assert.Equal(14, states.Count(c => c.Status == CampaignStatus.Failed && c.FailureReason == CampaignDispatcher.InsufficientFunds));
        Assert.All(states.Where(c => c.Status == CampaignStatus.Failed), c => Assert.Equal(0, c.HeldCents));
        Assert.Equal(new WalletBalance(1_000, 900), await h.AssertWalletConsistentAsync());
        Assert.Equal(6, (await h.LedgerAsync()).Count(e => e.Kind == LedgerEntryKind.Hold));

        await h.DrainAsync();

        states = await Task.WhenAll(campaigns.Select(c => h.GetAsync(c.Id)));
        Assert.Equal(6, states.Count(c => c.Status == CampaignStatus.Completed && c.ChargedCents == 150));
        Assert.Equal(6 * 15, h.InApp.Sent.Count);
        Assert.Equal(new WalletBalance(100, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task Concurrent_creates_take_exactly_the_cap_of_active_campaigns_and_a_retry_under_the_same_key_takes_no_second_place()
    {
        var (set, h) = await HarnessAsync(maxActive: 3);
        await using var _ = set;
        await h.FundAsync(1_000);
        var offer = await h.OfferAsync(Pins);
        var keys = Enumerable.Range(0, 12).Select(i => IdempotencyKey.TryCreate($"create-{i}", out var key, out var problem) ? key : throw new InvalidOperationException(problem)).ToList();

        var results = await Task.WhenAll(keys.Select(k => Task.Run(() => h.TryCreateAsync(offer, Pins, ["in_app"], key: k))));

        Assert.Equal(3, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal((ErrorKind.TooManyRequests, CampaignService.TooManyActiveCampaigns), (r.Error!.Kind, r.Error.Code)));
        var accepted = results.Where(r => r.IsSuccess).Select(r => r.Value.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(accepted.Order(StringComparer.Ordinal), h.Queue.Messages.Select(m => m.MessageId.Split(':')[0]).Order(StringComparer.Ordinal)); // one dispatch message each, none for the refused
        for (var i = 0; i < keys.Count; i++)
        {
            var id = Campaign.IdFor(Alpha, h.Shopkeeper, keys[i]);
            var retried = await h.TryCreateAsync(offer, Pins, ["in_app"], key: keys[i]);
            if (accepted.Contains(id))
            {
                // At the cap, the retry still answers its campaign: it takes no second place.
                Assert.Equal(id, retried.Value.Id);
            }
            else
            {
                Assert.Equal(CampaignService.TooManyActiveCampaigns, retried.Error!.Code);
                Assert.Null(await h.Campaigns.GetAsync(Alpha, id, default)); // nothing stored for a refused one
            }
        }

        Assert.Equal(3, h.Queue.Messages.Count);
        Assert.Equal(new WalletBalance(1_000, 0), await h.AssertWalletConsistentAsync()); // nothing held by a refusal
        // Another shopkeeper has places of their own.
        var other = await h.Offers.CreateAsync(Alpha, UserId.New(), new OfferInput("Other shop", null, 5, Pins, Now.AddHours(-1), Now.AddDays(1)), default);
        Assert.True((await h.Service.CreateAsync(Alpha, other.Value.ShopkeeperId, new CampaignInput(other.Value.Id, Pins, ["in_app"], null, null), default)).IsSuccess);
    }

    [StoreFact]
    public async Task A_place_is_freed_once_when_its_campaign_is_cancelled_fails_or_completes_also_on_redelivery()
    {
        var (set, h) = await HarnessAsync(maxActive: 2);
        await using var _ = set;
        await CustomersAsync(h, 2, push: false);
        var offer = await h.OfferAsync(Pins);
        string[] inApp = ["in_app"];
        async Task<bool> TryAsync() => (await h.TryCreateAsync(offer, Pins, inApp)) is { IsSuccess: true };

        var a = await h.CreateAsync(offer, Pins, inApp);
        var b = await h.CreateAsync(offer, Pins, inApp);
        Assert.False(await TryAsync());

        // Cancelled while queued: its place is free.
        Assert.True((await h.Service.CancelAsync(Alpha, h.Shopkeeper, a.Id, default)).IsSuccess);
        Assert.True(await TryAsync());
        Assert.False(await TryAsync());

        // Failed (no funds: nothing can be held), dispatch delivered three times: both places free, and only two.
        await h.DrainAsync(dispatchDeliveries: 3);
        Assert.Equal(CampaignDispatcher.InsufficientFunds, (await h.GetAsync(b.Id)).FailureReason);
        Assert.True(await TryAsync());
        Assert.True(await TryAsync());
        Assert.False(await TryAsync());

        // Completed, dispatch and batches redelivered: free again.
        await h.FundAsync(1_000);
        await h.DrainAsync(dispatchDeliveries: 2, batchDeliveries: 2);
        Assert.True(await TryAsync());
        Assert.True(await TryAsync());
        Assert.False(await TryAsync());
    }

    [StoreFact]
    public async Task Reading_a_campaign_shows_the_running_totals_of_its_finished_batches_each_counted_once_without_reading_the_batches()
    {
        var (set, h) = await HarnessAsync(batchSize: 4);
        await using var _ = set;
        var customers = (await CustomersAsync(h, 10, push: false)).OrderBy(u => u.Value, StringComparer.Ordinal).ToList();
        h.InApp.FailFor[customers[1].Value] = true; // in batch 0: failed
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);
        h.Campaigns.FailAfterCompletingBatch = 1; // batch 0 marked done, then a crash: handled again
        var seen = new List<(long Sent, long Failed, long Skipped, bool Settled)>();

        await h.DrainAsync(batchDeliveries: 2, between: async job =>
        {
            if (job.Batch == 1)
            {
                // Customer 9 (batch 2) withdraws consent: skipped there.
                await h.CustomerAsync(Alpha, Pins, false, user: customers[9]);
            }

            var reads = h.Campaigns.TotalsReads;
            var read = (await h.Service.GetAsync(Alpha, h.Shopkeeper, campaign.Id, default)).Value;
            seen.Add((read.Sent, read.Failed, read.Skipped, read.Settled));
            if (!read.Settled)
            {
                Assert.Equal(reads, h.Campaigns.TotalsReads); // the campaign alone was read
            }
        });

        // Batch 0 handled three times (crash, retry, redelivery), batch 1 and 2 twice each: counted once each.
        Assert.Equal([(3L, 1L, 0L, false), (7L, 1L, 0L, false), (8L, 1L, 1L, true)], seen);
    }

    [StoreFact]
    public async Task The_estimate_reuses_its_count_per_tenant_pin_code_set_and_channel_set_until_it_expires_by_the_clock()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await h.CustomerAsync(Alpha, ["110001"], inApp: true, push: true);
        await h.CustomerAsync(Alpha, ["110001", "110002"], inApp: false, push: true, whatsApp: true); // once, in two pin codes
        var third = await h.CustomerAsync(Alpha, ["110002"], inApp: true);
        await h.CustomerAsync(Alpha, ["110003"], inApp: true); // another pin code
        var fifth = await h.CustomerAsync(Alpha, ["110001"], inApp: false); // no consent
        await h.CustomerAsync(Beta, ["110001"], true, true, true); // another tenant
        string[] pins = ["110002", "110001"];
        async Task<CampaignEstimate> EstimateAsync(TenantId tenant, string[] pinCodes, string[] channels)
        {
            var estimate = await h.Service.EstimateAsync(tenant, pinCodes, channels, default);
            Assert.True(estimate.IsSuccess, estimate.Error?.Detail);
            return estimate.Value;
        }

        // 3 customers; in_app: 2, push: 2 → 4 messages, 2 × 10 + 2 × 20.
        var first = await EstimateAsync(Alpha, pins, ["push", "in_app"]);
        Assert.Equal(new CampaignEstimate(3, 4, 60), first);

        // Consent changes: the third withdraws, the fifth grants in_app and push → 3 customers, in_app 2, push 3.
        await h.CustomerAsync(Alpha, ["110002"], inApp: false, user: third);
        await h.CustomerAsync(Alpha, ["110001"], inApp: true, push: true, user: fifth);
        var changed = new CampaignEstimate(3, 5, 80);

        // The same tenant, pin codes and channels (in any order, repeated) reuse the count while it is fresh.
        Assert.Equal(first, await EstimateAsync(Alpha, ["110001", "110002", "110001"], ["in_app", "push", "in_app"]));
        // Anything else is counted now: other channels, other pin codes, another tenant with the same pin codes and channels.
        Assert.Equal(new CampaignEstimate(1, 1, 80), await EstimateAsync(Alpha, pins, ["whatsapp"]));
        Assert.Equal(changed, await EstimateAsync(Alpha, ["110001"], ["in_app", "push"])); // the same customers, counted now
        Assert.Equal(new CampaignEstimate(1, 2, 30), await EstimateAsync(Beta, pins, ["in_app", "push"]));

        h.Clock.Advance(h.Options.EstimateCacheDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, await EstimateAsync(Alpha, pins, ["in_app", "push"]));
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(changed, await EstimateAsync(Alpha, pins, ["in_app", "push"]));

        // A duration of zero counts every estimate afresh.
        var uncached = new AudienceReader(set.Get<ICustomerPreferenceStore>(), new CampaignOptions { EstimateCacheDuration = TimeSpan.Zero }.Validate(), h.Clock);
        Assert.Equal(3, (await uncached.CountAsync(Alpha, pins, [NotificationChannel.InApp, NotificationChannel.Push], default)).Customers);
        await h.CustomerAsync(Alpha, ["110002"], inApp: true, user: third);
        Assert.Equal(4, (await uncached.CountAsync(Alpha, pins, [NotificationChannel.InApp, NotificationChannel.Push], default)).Customers);

        // The reader keys its counts by the sets themselves, also when called with pin codes and channels as they come.
        var cached = new AudienceReader(set.Get<ICustomerPreferenceStore>(), h.Options, h.Clock);
        Assert.Equal(4, (await cached.CountAsync(Alpha, ["110002", "110001"], [NotificationChannel.InApp, NotificationChannel.Push], default)).Customers);
        await h.CustomerAsync(Alpha, ["110002"], inApp: false, user: third);
        Assert.Equal(4, (await cached.CountAsync(Alpha, ["110001", "110002", "110001"], [NotificationChannel.Push, NotificationChannel.InApp, NotificationChannel.Push], default)).Customers);
        Assert.Equal(3, (await uncached.CountAsync(Alpha, ["110001", "110002", "110001"], [NotificationChannel.Push, NotificationChannel.InApp, NotificationChannel.Push], default)).Customers);
    }

    [StoreFact]
    public async Task The_audience_counted_in_the_store_is_exactly_the_audience_read_page_by_page()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        var random = new Random(42);
        string[] pool = ["110001", "110002", "110003", "400001", "400002"];
        var customers = new List<(string[] Pins, ChannelConsent Consent)>();
        for (var i = 0; i < 90; i++)
        {
            var pins = pool.Where(_ => random.Next(3) == 0).ToArray();
            var consent = new ChannelConsent(random.Next(2) == 0, random.Next(2) == 0, random.Next(4) == 0);
            await h.CustomerAsync(Alpha, pins, consent.InApp, consent.Push, consent.WhatsApp);
            customers.Add((pins, consent));
        }

        for (var i = 0; i < 15; i++)
        {
            await h.CustomerAsync(Beta, pool, true, true, true); // another tenant's, in every pin code, consenting to all
        }

        var store = set.Get<ICustomerPreferenceStore>();
        var reader = new AudienceReader(store, h.Options, h.Clock); // pages of 13
        string[][] pinSets = [["110001"], ["400002", "110001"], ["110002", "110003", "110002"], pool, ["999999"]];
        NotificationChannel[][] channelSets = [[NotificationChannel.InApp], [NotificationChannel.WhatsApp], [NotificationChannel.Push, NotificationChannel.InApp], [NotificationChannel.InApp, NotificationChannel.Push, NotificationChannel.WhatsApp], [NotificationChannel.Push, NotificationChannel.Push]];
        foreach (var pins in pinSets)
        {
            foreach (var channels in channelSets)
            {
                var counted = await store.CountAudienceAsync(Alpha, pins, channels, default);
                var members = (await reader.ReadAsync(Alpha, pins, channels, default))!;
                var model = customers.Where(c => c.Pins.Intersect(pins).Any() && channels.Any(c.Consent.Allows)).ToList();
                var what = $"{string.Join(',', pins)} / {string.Join(',', channels)}";

                Assert.Equal(members.Count, members.Select(m => m.UserId).Distinct().Count());
                Assert.True(model.Count == members.Count && members.Count == counted.Customers, $"{what}: model {model.Count}, read {members.Count}, counted {counted.Customers}");
                Assert.Equal(channels.Distinct().Order(), counted.PerChannel.Keys.Order());
                foreach (var channel in channels.Distinct())
                {
                    var (expected, read) = (model.Count(c => c.Consent.Allows(channel)), members.Count(m => m.Channels.Contains(channel)));
                    Assert.True(expected == read && read == counted.PerChannel[channel], $"{what}, {channel}: model {expected}, read {read}, counted {counted.PerChannel[channel]}");
                }
            }
        }

        Assert.True(customers.Count(c => c.Pins.Length > 1 && c.Consent.InApp) > 5); // customers in several pin codes were there to be counted twice
        Assert.Equal(0, (await store.CountAudienceAsync(Beta, ["999999"], [NotificationChannel.InApp], default)).Customers);
    }

    [StoreFact]
    public async Task An_estimate_over_the_largest_audience_allowed_is_refused_as_too_large()
    {
        var (set, h) = await HarnessAsync(maxAudience: 3);
        await using var _ = set;
        for (var i = 0; i < 4; i++)
        {
            await h.CustomerAsync(Alpha, ["560001"], inApp: true);
        }

        for (var i = 0; i < 3; i++)
        {
            await h.CustomerAsync(Alpha, ["560002"], inApp: true);
        }

        var tooLarge = await h.Service.EstimateAsync(Alpha, ["560001"], ["in_app"], default);
        Assert.Equal((ErrorKind.Validation, CampaignDispatcher.AudienceTooLarge), (tooLarge.Error!.Kind, tooLarge.Error.Code));
        Assert.Equal(new CampaignEstimate(3, 3, 30), (await h.Service.EstimateAsync(Alpha, ["560002"], ["in_app"], default)).Value);
        // Cached, still refused.
        Assert.Equal(CampaignDispatcher.AudienceTooLarge, (await h.Service.EstimateAsync(Alpha, ["560001"], ["in_app"], default)).Error!.Code);
    }

    [StoreFact]
    public async Task Segmentation_targets_only_consenting_customers_of_this_tenant_in_the_pin_codes_and_respects_consent_withdrawn_mid_campaign()
    {
        var (set, h) = await HarnessAsync(batchSize: 10, chunkSize: 5, whatsAppSender: true);
        await using var _ = set;
        var random = new Random(15);
        string[] pool = ["110001", "110002", "110003", "400001", "400002"];
        var expected = new Dictionary<UserId, HashSet<NotificationChannel>>();
        for (var i = 0; i < 120; i++)
        {
            var pins = pool.Where(_ => random.Next(3) == 0).ToArray();
            var (inApp, push, whatsApp) = (random.Next(2) == 0, random.Next(2) == 0, random.Next(4) == 0);
            var user = await h.CustomerAsync(Alpha, pins, inApp, push, whatsApp);
            var channels = new HashSet<NotificationChannel>();
            if (pins.Contains("110001") || pins.Contains("400002"))
            {
                if (inApp)
                {
                    channels.Add(NotificationChannel.InApp);
                }

                if (whatsApp)
                {
                    channels.Add(NotificationChannel.WhatsApp);
                }
            }

            if (channels.Count > 0)
            {
                expected[user] = channels;
            }
        }

        // Another tenant's customers in the same pin codes, consenting to everything: never targeted.
        var others = new List<UserId>();
        for (var i = 0; i < 20; i++)
        {
            others.Add(await h.CustomerAsync(Beta, ["110001", "400002"], true, true, true));
        }

        await h.FundAsync(100_000);
        var estimate = await h.Service.EstimateAsync(Alpha, ["400002", "110001"], ["whatsapp", "in_app"], default);
        var cost = expected.Values.Sum(c => c.Sum(ch => ch == NotificationChannel.InApp ? 10L : 80L));
        Assert.Equal(new CampaignEstimate(expected.Count, expected.Values.Sum(c => c.Count), cost), estimate.Value);
        Assert.Equal(new WalletBalance(100_000, 0), await h.WalletStore.GetBalanceAsync(h.Wallet, default)); // nothing held by an estimate

        var campaign = await h.CreateAsync(await h.OfferAsync("110001", "400002"), ["110001", "400002"], ["in_app", "whatsapp"]);
        Assert.Empty(await h.Service.GetAsync(Alpha, UserId.New(), campaign.Id, default) is { IsSuccess: true } ? ["visible"] : Array.Empty<string>());

        // After the first batch, every customer of the last batch withdraws consent; the later batches skip them.
        HashSet<UserId> withdrawn = [];
        var ordered = expected.Keys.OrderBy(u => u.Value, StringComparer.Ordinal).ToList();
        await h.DrainAsync(between: async job =>
        {
            if (job.Batch == 0)
            {
                foreach (var user in ordered.Skip(((ordered.Count - 1) / 10) * 10))
                {
                    withdrawn.Add(user);
                    await h.CustomerAsync(Alpha, ["110001"], false, false, false, user);
                }
            }
        });

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(expected.Count, done.Audience);
        Assert.Equal(cost, done.HeldCents);
        Assert.NotEmpty(withdrawn);
        var sent = h.AllSent.Select(n => (n.UserId, n.Channel)).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        var wanted = expected.Where(e => !withdrawn.Contains(e.Key)).SelectMany(e => e.Value.Select(c => (e.Key, c))).ToHashSet();
        Assert.True(wanted.SetEquals(sent), "sent exactly to the consenting customers of this tenant in the pin codes, withdrawn ones excluded");
        Assert.DoesNotContain(h.AllSent, n => others.Contains(n.UserId) || n.TenantId != Alpha);
        Assert.Empty(h.Push.Sent);
        var charged = wanted.Sum(w => w.Item2 == NotificationChannel.InApp ? 10L : 80L);
        Assert.Equal(charged, done.ChargedCents);
        Assert.Equal(cost - charged, done.ReleasedCents);
        Assert.Equal(expected.Where(e => withdrawn.Contains(e.Key)).Sum(e => e.Value.Count), done.Skipped);
        Assert.Equal(new WalletBalance(100_000 - charged, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task Failed_deliveries_and_a_channel_without_a_sender_are_released_exactly()
    {
        var (set, h) = await HarnessAsync(batchSize: 3);
        await using var _ = set;
        var customers = new List<UserId>();
        for (var i = 0; i < 8; i++)
        {
            customers.Add(await h.CustomerAsync(Alpha, Pins, inApp: true, push: true, whatsApp: i < 2));
        }

        h.Push.FailFor[customers[0].Value] = true;
        h.Push.FailFor[customers[5].Value] = true;
        await h.FundAsync(5_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app", "push", "whatsapp"]);

        await h.DrainAsync();

        var done = await h.GetAsync(campaign.Id);
        var held = (8 * 10) + (8 * 20) + (2 * 80);
        Assert.Equal(held, done.HeldCents);
        Assert.Equal(8 + 6, done.Sent);
        Assert.Equal(2 + 2, done.Failed); // two push refusals, two WhatsApp messages with no sender registered
        Assert.Equal((8 * 10) + (6 * 20), done.ChargedCents);
        Assert.Equal(held - done.ChargedCents, done.ReleasedCents);
        Assert.Empty(h.WhatsApp.Sent);
        Assert.Equal(new WalletBalance(5_000 - done.ChargedCents, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task A_send_that_throws_keeps_the_record_of_the_messages_already_sent_so_a_redelivery_sends_only_the_rest()
    {
        // One message at a time, so the third send is the one that throws after two went out.
        var (set, h) = await HarnessAsync(sendConcurrency: 1);
        await using var _ = set;
        await CustomersAsync(h, 3, push: false);
        var sends = 0;
        h.InApp.BeforeSend = _ => Interlocked.Increment(ref sends) == 3 ? throw new IOException("Injected: the provider's connection broke.") : Task.CompletedTask;
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);

        Assert.Equal(1, await h.DrainAsync()); // the batch failed once and was redelivered

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(4, sends);
        Assert.Equal(3, h.InApp.Sent.Count);
        Assert.Equal(3, h.InApp.Sent.Select(n => n.MessageId).Distinct(StringComparer.Ordinal).Count()); // nobody notified twice
        Assert.Equal((CampaignStatus.Completed, true, 3L, 30L, 0L), (done.Status, done.Settled, done.Sent, done.ChargedCents, done.ReleasedCents));
        Assert.Equal(new WalletBalance(1_000 - 30, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task A_batch_deferred_past_the_cap_gives_its_unsent_messages_up_as_failed_and_the_campaign_settles_releasing_them()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await CustomersAsync(h, 3);
        h.Push.BeforeSend = _ => throw new NotificationDeferredException("Injected: rate limited.") { RetryAfter = TimeSpan.FromMinutes(1) };
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app", "push"]);
        await h.Dispatcher.HandleAsync(new CampaignJob(Alpha, campaign.Id, null), default);

        // The batch and its deferred copies up to the cap (3 here) try again; in-app went out the first time.
        for (var deferrals = 0; deferrals <= h.Options.MaxDeferrals; deferrals++)
        {
            var copy = new CampaignJob(Alpha, campaign.Id, 0) { Deferrals = deferrals };
            await Assert.ThrowsAsync<NotificationDeferredException>(() => h.Dispatcher.HandleAsync(copy, default));
        }

        Assert.False((await h.GetAsync(campaign.Id)).Settled);
        var last = await h.Dispatcher.HandleAsync(new CampaignJob(Alpha, campaign.Id, 0) { Deferrals = h.Options.MaxDeferrals + 1 }, default);

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(done.Id, last!.Id);
        Assert.Equal(3, h.InApp.Sent.Count);
        Assert.Empty(h.Push.Sent);
        Assert.Equal((CampaignStatus.Completed, true), (done.Status, done.Settled));
        Assert.Equal((3L, 3L, 90L, 30L, 60L), (done.Sent, done.Failed, done.HeldCents, done.ChargedCents, done.ReleasedCents));
        Assert.Equal(new WalletBalance(1_000 - 30, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task A_create_retried_under_its_idempotency_key_answers_the_first_campaign_and_holds_once_and_another_body_is_a_conflict()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await CustomersAsync(h, 3);
        await h.FundAsync(1_000);
        var offerId = await h.OfferAsync(Pins);
        var key = IdempotencyKey.TryCreate("retry-1", out var k, out var problem) ? k : throw new InvalidOperationException(problem);
        var input = new CampaignInput(offerId, Pins, ["push", "in_app"], null, "Sweets 20% off");

        // Two concurrent tries and a later retry (channels in another order: the same request once validated).
        var tries = await Task.WhenAll(h.Service.CreateAsync(Alpha, h.Shopkeeper, input, key, default), h.Service.CreateAsync(Alpha, h.Shopkeeper, input, key, default));
        var retry = await h.Service.CreateAsync(Alpha, h.Shopkeeper, input with { Channels = ["in_app", "push"] }, key, default);
        var first = tries[0].Value;
        Assert.All(tries.Append(retry), t => Assert.Equal(first.Id, t.Value.Id));
        Assert.Equal(Campaign.IdFor(Alpha, h.Shopkeeper, key), first.Id);
        Assert.True(Campaign.IsId(first.Id));

        var reused = await h.Service.CreateAsync(Alpha, h.Shopkeeper, input with { Text = "Another text" }, key, default);
        Assert.Equal((ErrorKind.Conflict, CampaignService.IdempotencyKeyReused), (reused.Error!.Kind, reused.Error.Code));
        var unkeyed = (await h.Service.CreateAsync(Alpha, h.Shopkeeper, input, default)).Value; // no key: a campaign of its own
        Assert.NotEqual(first.Id, unkeyed.Id);
        Assert.True((await h.Service.CancelAsync(Alpha, h.Shopkeeper, unkeyed.Id, default)).IsSuccess);

        await h.DrainAsync();

        var done = await h.GetAsync(first.Id);
        Assert.Equal((CampaignStatus.Completed, 6L, 90L), (done.Status, done.Sent, done.ChargedCents));
        Assert.Equal(3, h.InApp.Sent.Count);
        var ledger = await h.LedgerAsync();
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Hold);
        Assert.Equal(new WalletBalance(1_000 - 90, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task A_wallet_that_cannot_pay_for_one_message_fails_the_campaign_before_its_audience_is_snapshotted()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await CustomersAsync(h, 3);
        await h.FundAsync(9); // less than one in-app message (10)
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);

        await h.DrainAsync();

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Failed, CampaignDispatcher.InsufficientFunds, true), (done.Status, done.FailureReason, done.Settled));
        Assert.Null(done.BatchCount); // no audience read, nothing stored for it
        Assert.Null(await h.Campaigns.GetBatchAsync(Alpha, campaign.Id, 0, default));
        Assert.Equal(new WalletBalance(9, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task An_erased_customer_is_kept_only_under_a_pseudonym_and_skipped_uncharged_by_the_batches_still_in_flight()
    {
        var (set, h) = await HarnessAsync(batchSize: 5);
        await using var _ = set;
        var ordered = (await CustomersAsync(h, 10)).OrderBy(u => u.Value, StringComparer.Ordinal).ToList();
        var (early, late) = (ordered[1], ordered[7]); // batch 0 (delivered before the erasure) and batch 1 (not yet)
        await h.FundAsync(10_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app", "push"]);
        var personal = set.Get<IEnumerable<Shared.Domain.Privacy.IPersonalDataStore>>().Single(s => s.Section == "campaigns");

        await h.DrainAsync(between: async job =>
        {
            if (job.Batch == 0)
            {
                Assert.Equal(2, (await personal.ExportAsync(Alpha, early, default)).Records.Count(r => r.Kind == "campaign_delivery"));
                await personal.EraseAsync(Alpha, early, default);
                await personal.EraseAsync(Alpha, late, default);
                // A dispatcher that read batch 0 before the erasure records a delivery to the erased id afterwards: it
                // goes under the pseudonym (and, recorded already, changes nothing), never under the id.
                await h.Campaigns.RecordDeliveriesAsync(Alpha, campaign.Id, 0, [new CampaignDelivery(early, NotificationChannel.InApp, DeliveryStatus.Delivered)], default);
            }
        });

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(300, done.HeldCents);
        Assert.Equal(18, done.Sent); // the early customer's two messages went out before the erasure: charged
        Assert.Equal(2, done.Skipped); // the late customer's two: never sent, released
        Assert.Equal(270, done.ChargedCents);
        Assert.Equal(30, done.ReleasedCents);
        Assert.DoesNotContain(h.AllSent, n => n.UserId == late);
        Assert.Equal(2, h.AllSent.Count(n => n.UserId == early));
        Assert.Equal(new WalletBalance(10_000 - 270, 0), await h.AssertWalletConsistentAsync());

        // The snapshot and the deliveries name the erased customers by pseudonym only.
        var batches = new List<CampaignBatch>();
        for (var n = 0; n < done.BatchCount; n++)
        {
            batches.Add((await h.Campaigns.GetBatchAsync(Alpha, campaign.Id, n, default))!);
        }

        var named = batches.SelectMany(b => b.Recipients.Select(r => r.UserId).Concat(b.Deliveries.Select(d => d.UserId))).ToHashSet();
        Assert.DoesNotContain(early, named);
        Assert.DoesNotContain(late, named);
        var (earlyKey, lateKey) = (Shared.Domain.Privacy.ErasedUserKey.PseudonymOf(Alpha, early), Shared.Domain.Privacy.ErasedUserKey.PseudonymOf(Alpha, late));
        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Delivered], batches[0].Deliveries.Where(d => d.UserId == earlyKey).Select(d => d.Status));
        Assert.Equal([DeliveryStatus.Skipped, DeliveryStatus.Skipped], batches[1].Deliveries.Where(d => d.UserId == lateKey).Select(d => d.Status));
        Assert.Contains(batches[1].Recipients, r => r.UserId == lateKey);
        Assert.Empty((await personal.ExportAsync(Alpha, early, default)).Records);
        Assert.Empty((await personal.ExportAsync(Alpha, late, default)).Records);
        Assert.Equal(0, await personal.EraseAsync(Alpha, late, default)); // a repeat finds nothing left

        // Another customer of the same batch documents: their own entries only, nobody else's id.
        var kept = await personal.ExportAsync(Alpha, ordered[6], default);
        Assert.Equal((1, 2), (kept.Records.Count(r => r.Kind == "campaign_recipient"), kept.Records.Count(r => r.Kind == "campaign_delivery")));
        Assert.All(kept.Records.SelectMany(r => r.Fields.Values), v => Assert.True(v is null || ordered.Where(u => u != ordered[6]).All(u => !v.Contains(u.Value, StringComparison.Ordinal)) && !v.Contains(lateKey.Value, StringComparison.Ordinal)));
    }

    [StoreFact]
    public async Task Cancelling_mid_dispatch_stops_the_later_batches_and_releases_the_unsent_remainder()
    {
        var (set, h) = await HarnessAsync(batchSize: 5);
        await using var _ = set;
        await CustomersAsync(h, 20, push: false);
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);

        await h.DrainAsync(between: async job =>
        {
            if (job.Batch == 1)
            {
                var cancelled = await h.Service.CancelAsync(Alpha, h.Shopkeeper, campaign.Id, default);
                Assert.Equal(CampaignStatus.Cancelled, cancelled.Value.Status);
            }
        });

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal(CampaignStatus.Cancelled, done.Status);
        Assert.True(done.Settled);
        Assert.Equal(10, done.Sent);
        Assert.Equal(10, h.InApp.Sent.Count);
        Assert.Equal(100, done.ChargedCents);
        Assert.Equal(100, done.ReleasedCents);
        Assert.Equal(new WalletBalance(900, 0), await h.AssertWalletConsistentAsync());
        Assert.Equal(CampaignStatus.Cancelled, (await h.Service.CancelAsync(Alpha, h.Shopkeeper, campaign.Id, default)).Value.Status); // a repeat answers the same
    }

    [StoreFact]
    public async Task A_hold_placed_while_the_campaign_was_being_cancelled_is_released_by_the_dispatch()
    {
        var (set, h) = await HarnessAsync(batchSize: 4);
        await using var _ = set;
        await CustomersAsync(h, 5, push: false);
        await h.FundAsync(1_000);
        var campaign = await h.CreateAsync(await h.OfferAsync(Pins), Pins, ["in_app"]);
        // The interleaving: the cancellation runs to its end (its release finds no hold, it marks the campaign settled),
        // then the dispatch that had already read the campaign as queued places its hold.
        var cancelled = (await h.Service.CancelAsync(Alpha, h.Shopkeeper, campaign.Id, default)).Value;
        Assert.True(cancelled.Settled);
        Assert.True((await h.Wallets.HoldAsync(h.Wallet, 50, cancelled.HoldKey, campaign.Id, default)).Value.Succeeded);
        Assert.Equal(new WalletBalance(1_000, 50), await h.AssertWalletConsistentAsync());

        await h.Dispatcher.DispatchAsync(Alpha, campaign.Id, default); // the dispatch goes on (or is redelivered)
        await h.Dispatcher.DispatchAsync(Alpha, campaign.Id, default);

        var done = await h.GetAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Cancelled, 0L, 50L), (done.Status, done.HeldCents, done.ReleasedCents));
        Assert.Equal(new WalletBalance(1_000, 0), await h.AssertWalletConsistentAsync());
        Assert.Empty(h.InApp.Sent);
    }

    [StoreFact]
    public async Task Cancelling_before_dispatch_holds_nothing_and_a_scheduled_campaign_waits_for_its_time()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await CustomersAsync(h, 3);
        await h.FundAsync(1_000);
        var offer = await h.OfferAsync(Pins);
        var at = Now.AddHours(5);
        var scheduled = await h.CreateAsync(offer, Pins, ["in_app"], at);
        Assert.Equal(at, Assert.Single(h.Queue.Messages, m => m.MessageId == $"{scheduled.Id}:dispatch").NotBefore);
        Assert.Equal(CampaignStatus.Queued, (await h.GetAsync(scheduled.Id)).Status);

        var cancelled = await h.Service.CancelAsync(Alpha, h.Shopkeeper, scheduled.Id, default);
        Assert.Equal(CampaignStatus.Cancelled, cancelled.Value.Status);
        Assert.True(cancelled.Value.Settled);
        h.Clock.Set(at);
        await h.DrainAsync();

        Assert.Empty(h.AllSent);
        Assert.Equal(CampaignStatus.Cancelled, (await h.GetAsync(scheduled.Id)).Status);
        Assert.DoesNotContain(await h.LedgerAsync(), e => e.Kind == LedgerEntryKind.Hold);
        Assert.Equal(new WalletBalance(1_000, 0), await h.AssertWalletConsistentAsync());
        Assert.Equal(ErrorKind.NotFound, (await h.Service.CancelAsync(Alpha, UserId.New(), scheduled.Id, default)).Error!.Kind); // not the owner
    }

    [StoreFact]
    public async Task An_expired_offer_fails_the_campaign_without_holding_and_an_empty_audience_completes_for_free()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        await h.FundAsync(1_000);
        var offer = await h.OfferAsync(Pins);
        var empty = await h.CreateAsync(offer, ["999999"], ["push"]);
        await h.DrainAsync();
        var done = await h.GetAsync(empty.Id);
        Assert.Equal((CampaignStatus.Completed, 0L, 0L), (done.Status, done.Audience, done.HeldCents));

        await CustomersAsync(h, 2);
        var late = await h.CreateAsync(offer, Pins, ["in_app"]);
        h.Clock.Advance(TimeSpan.FromDays(8));
        await h.DrainAsync();
        var failed = await h.GetAsync(late.Id);
        Assert.Equal((CampaignStatus.Failed, CampaignDispatcher.OfferUnavailable), (failed.Status, failed.FailureReason));
        Assert.Equal(new WalletBalance(1_000, 0), await h.AssertWalletConsistentAsync());
    }

    [StoreFact]
    public async Task Offers_are_listed_while_active_liked_once_per_customer_and_changed_only_by_their_shopkeeper()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        var offerId = await h.OfferAsync("560001", "560002");
        var listed = await h.Offers.ListAsync(Alpha, "560002", null, default);
        Assert.Equal(offerId, Assert.Single(listed.Value.Items).Id);
        Assert.Empty((await h.Offers.ListAsync(Beta, "560002", null, default)).Value.Items);

        var likers = Enumerable.Range(0, 12).Select(_ => UserId.New()).ToList();
        await Task.WhenAll(likers.Concat(likers).Select(u => Task.Run(() => h.Offers.LikeAsync(Alpha, u, offerId, like: true, default))));
        Assert.Equal(12, (await h.Offers.LikeAsync(Alpha, likers[0], offerId, like: true, default)).Value);
        await Task.WhenAll(likers.Take(5).Concat(likers.Take(5)).Select(u => Task.Run(() => h.Offers.LikeAsync(Alpha, u, offerId, like: false, default))));
        Assert.Equal(7, (await h.Offers.LikeAsync(Alpha, likers[11], offerId, like: true, default)).Value);
        Assert.Equal(7, (await h.Set.Get<IOfferStore>().GetAsync(Alpha, offerId, default))!.LikeCount);

        var stranger = UserId.New();
        var input = new OfferInput("Changed", null, 5, ["560001"], Now, Now.AddDays(1));
        Assert.Equal("offer_not_found", (await h.Offers.UpdateAsync(Alpha, stranger, offerId, input, default)).Error!.Code);
        Assert.Equal("offer_not_found", (await h.Offers.DeleteAsync(Alpha, stranger, offerId, default)).Error!.Code);
        Assert.Equal("Changed", (await h.Offers.UpdateAsync(Alpha, h.Shopkeeper, offerId, input, default)).Value.Title);
        Assert.Empty((await h.Offers.ListAsync(Alpha, "560002", null, default)).Value.Items);

        // Expired: hidden at read time at once, deleted by the sweep.
        h.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty((await h.Offers.ListAsync(Alpha, "560001", null, default)).Value.Items);
        Assert.Equal(ErrorKind.NotFound, (await h.Offers.LikeAsync(Alpha, stranger, offerId, like: true, default)).Error!.Kind);
        Assert.Equal(1, await new OfferSweep(h.Set.Get<IOfferStore>(), h.Clock).RunAsync(new Domain.Tenants.Tenant(Alpha, "Alpha", [new Domain.Tenants.Plan(PlanId.Parse("free"), "Free", new Domain.Quotas.Allowance(2, Domain.Quotas.ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}"), default));
        Assert.Null(await h.Set.Get<IOfferStore>().GetAsync(Alpha, offerId, default));
        Assert.Equal(0, await LikesOfAsync(h, likers[11])); // the sweep deleted the offer's likes with it
    }

    [StoreFact]
    public async Task Deleting_an_offer_deletes_its_likes_and_no_other_offers()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        var deleted = await h.OfferAsync("560001");
        var kept = await h.OfferAsync("560001");
        var likers = Enumerable.Range(0, 3).Select(_ => UserId.New()).ToList();
        foreach (var liker in likers)
        {
            Assert.True((await h.Offers.LikeAsync(Alpha, liker, deleted, like: true, default)).IsSuccess);
            Assert.True((await h.Offers.LikeAsync(Alpha, liker, kept, like: true, default)).IsSuccess);
        }

        foreach (var liker in likers)
        {
            Assert.Equal(2, await LikesOfAsync(h, liker));
        }

        Assert.True((await h.Offers.DeleteAsync(Alpha, h.Shopkeeper, deleted, default)).Value);

        Assert.Null(await h.Set.Get<IOfferStore>().GetAsync(Alpha, deleted, default));
        foreach (var liker in likers)
        {
            Assert.Equal(1, await LikesOfAsync(h, liker)); // the other offer's like stays
        }

        Assert.Equal(3, (await h.Set.Get<IOfferStore>().GetAsync(Alpha, kept, default))!.LikeCount);
    }

    /// <summary>The customer's likes as their personal-data export lists them (the store's own records, not a count).</summary>
    private static async Task<int> LikesOfAsync(CampaignHarness h, UserId customer)
    {
        var section = h.Set.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "campaigns");
        return (await section.ExportAsync(Alpha, customer, default)).Records.Count(r => r.Kind == "offer_like");
    }

    [StoreFact]
    public async Task Offer_lists_page_by_continuation_and_preferences_round_trip()
    {
        var (set, h) = await HarnessAsync();
        await using var _ = set;
        var ids = new List<string>();
        for (var i = 0; i < 55; i++)
        {
            ids.Add(await h.OfferAsync("700001"));
        }

        var first = (await h.Offers.ListAsync(Alpha, "700001", null, default)).Value;
        var second = (await h.Offers.ListAsync(Alpha, "700001", first.Continuation, default)).Value;
        Assert.Equal(50, first.Items.Count);
        Assert.Null(second.Continuation);
        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Items.Concat(second.Items).Select(o => o.Id));
        Assert.Equal("invalid_continuation", (await h.Offers.ListAsync(Alpha, "700001", "not-a-token!", default)).Error!.Code);

        var user = await h.CustomerAsync(Alpha, ["700001", "700002"], inApp: true, push: false, whatsApp: true);
        var read = await h.Preferences.GetAsync(Alpha, user, default);
        Assert.Equal(["700001", "700002"], read.PinCodes);
        Assert.Equal(new ChannelConsent(true, false, true), read.Channels);
        Assert.Equal(ChannelConsent.None, (await h.Preferences.GetAsync(Beta, user, default)).Channels);
    }
}
