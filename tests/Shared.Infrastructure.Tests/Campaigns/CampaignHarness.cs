using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>
/// The campaign feature on a real store with test doubles at its edges: a recording queue (drained by hand, with as
/// many deliveries of each message as a test asks), recording senders and a fault-injecting campaign store.
/// </summary>
public sealed class CampaignHarness
{
    public static readonly TenantId Alpha = TenantId.Parse("alpha");
    public static readonly TenantId Beta = TenantId.Parse("beta");

    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);

    private CampaignHarness(StoreSet set, ManualTimeProvider clock, CampaignOptions options, bool whatsAppSender)
    {
        Set = set;
        Clock = clock;
        Options = options;
        Campaigns = new FaultyCampaignStore(set.Get<ICampaignStore>());
        WalletStore = set.Get<IWalletStore>();
        Wallets = new WalletService(WalletStore);
        var settings = new FixedWalletSettings(Alpha, Beta);
        var preferences = set.Get<ICustomerPreferenceStore>();
        var audience = new AudienceReader(preferences, options, clock);
        List<INotificationSender> senders = [InApp, Push];
        if (whatsAppSender)
        {
            senders.Add(WhatsApp);
        }

        Offers = new OfferCatalog(set.Get<IOfferStore>(), clock);
        Preferences = new CustomerPreferenceService(preferences, clock);
        Dispatcher = new CampaignDispatcher(Campaigns, set.Get<IOfferStore>(), preferences, Queue, Wallets, settings, audience, senders, options, clock, set.Get<Shared.Domain.Invoices.IInvoiceIssuer>());
        // The service is told every channel has a sender, so a campaign can ask for WhatsApp where the dispatcher has
        // none (a deployment whose sender was removed after the campaign was accepted).
        Service = new CampaignService(Campaigns, set.Get<IOfferStore>(), Queue, Wallets, settings, audience, options, clock, [InApp, Push, WhatsApp]);
    }

    public StoreSet Set { get; }

    public ManualTimeProvider Clock { get; }

    public CampaignOptions Options { get; }

    public RecordingQueue Queue { get; } = new();

    public RecordingSender InApp { get; } = new(NotificationChannel.InApp);

    public RecordingSender Push { get; } = new(NotificationChannel.Push);

    public RecordingSender WhatsApp { get; } = new(NotificationChannel.WhatsApp);

    public FaultyCampaignStore Campaigns { get; }

    public IWalletStore WalletStore { get; }

    public WalletService Wallets { get; }

    public OfferCatalog Offers { get; }

    public CustomerPreferenceService Preferences { get; }

    public CampaignDispatcher Dispatcher { get; }

    public CampaignService Service { get; }

    public UserId Shopkeeper { get; } = UserId.New();

    public WalletKey Wallet => new(Alpha, Shopkeeper, WalletKind.Money);

    public IEnumerable<CampaignNotification> AllSent => InApp.Sent.Concat(Push.Sent).Concat(WhatsApp.Sent);

    public static CampaignHarness Create(StoreSet set, ManualTimeProvider clock, int batchSize = 500, int chunkSize = 100, bool whatsAppSender = false, int sendConcurrency = 16, int maxActive = 5, int maxAudience = 1_000_000) =>
        new(set, clock, new CampaignOptions { BatchSize = batchSize, ChunkSize = chunkSize, AudiencePageSize = 13, SendConcurrency = sendConcurrency, MaxDeferrals = 3, MaxActivePerShopkeeper = maxActive, MaxAudience = maxAudience }.Validate(), whatsAppSender);

    public async Task FundAsync(long cents) =>
        Assert.True((await Wallets.CreditAsync(Wallet, LedgerEntryKind.TopUp, cents, "top-up:" + Guid.NewGuid().ToString("N"), null, default)).Value.Succeeded);

    public async Task<string> OfferAsync(params string[] pins)
    {
        var now = Clock.GetUtcNow();
        var offer = await Offers.CreateAsync(Alpha, Shopkeeper, new OfferInput("Diwali sale", "All sweets", 20, pins, now.AddHours(-1), now.AddDays(7)), default);
        return offer.Value.Id;
    }

    public async Task<UserId> CustomerAsync(TenantId tenant, string[] pins, bool inApp, bool push = false, bool whatsApp = false, UserId? user = null)
    {
        var id = user ?? UserId.New();
        Assert.True((await Preferences.PutAsync(tenant, id, pins, inApp, push, whatsApp, channelsGiven: true, default)).IsSuccess);
        return id;
    }

    public async Task<Campaign> CreateAsync(string offerId, string[] pins, string[] channels, DateTimeOffset? scheduledAt = null)
    {
        var created = await TryCreateAsync(offerId, pins, channels, scheduledAt);
        Assert.True(created.IsSuccess, created.Error?.Detail);
        return created.Value;
    }

    public Task<Result<Campaign>> TryCreateAsync(string offerId, string[] pins, string[] channels, DateTimeOffset? scheduledAt = null, IdempotencyKey? key = null) =>
        Service.CreateAsync(Alpha, Shopkeeper, new CampaignInput(offerId, pins, channels, scheduledAt, "Sweets 20% off"), key, default);

    public async Task<Campaign> GetAsync(string campaignId) => (await Campaigns.GetAsync(Alpha, campaignId, default))!;

    /// <summary>
    /// Handles every message sent so far and those they send, in order: a dispatch message <paramref name="dispatchDeliveries"/>
    /// times, a batch message <paramref name="batchDeliveries"/> times. A delivery that throws is redelivered (up to 5
    /// times), as the queue does; <paramref name="between"/> runs after each batch message.
    /// </summary>
    public async Task<int> DrainAsync(int dispatchDeliveries = 1, int batchDeliveries = 1, Func<CampaignJob, Task>? between = null)
    {
        var failures = 0;
        while (Queue.Messages.FirstOrDefault(m => !_handled.Contains(m.MessageId)) is { } message)
        {
            _handled.Add(message.MessageId);
            Assert.True(CampaignJob.TryParse(message.Body, out var job));
            var times = job.Batch is null ? dispatchDeliveries : batchDeliveries;
            for (var delivery = 0; delivery < times; delivery++)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await Dispatcher.HandleAsync(job, default);
                        break;
                    }
                    catch (IOException) when (attempt < 5)
                    {
                        failures++; // redelivered
                    }
                }
            }

            if (job.Batch is not null && between is not null)
            {
                await between(job);
            }
        }

        return failures;
    }

    /// <summary>The shopkeeper's invoices (at most 100, newest first).</summary>
    public Task<IReadOnlyList<Shared.Domain.Invoices.Invoice>> InvoicesAsync() =>
        Set.Get<Shared.Domain.Invoices.IInvoiceStore>().ListAsync(Alpha, Shopkeeper, null, 100, default);

    /// <summary>Every entry of the wallet, oldest first.</summary>
    public async Task<List<LedgerEntry>> LedgerAsync()
    {
        var all = new List<LedgerEntry>();
        long? before = null;
        for (var page = 0; page < 1000; page++)
        {
            var entries = await WalletStore.ListEntriesAsync(Wallet, before, 50, default);
            all.AddRange(entries);
            if (entries.Count < 50)
            {
                break;
            }

            before = entries[^1].Sequence;
        }

        all.Reverse();
        return all;
    }

    /// <summary>The ledger sums to the balance and to what is held; nothing was ever negative.</summary>
    public async Task<WalletBalance> AssertWalletConsistentAsync()
    {
        var balance = await WalletStore.GetBalanceAsync(Wallet, default);
        var entries = await LedgerAsync();
        Assert.Equal(balance.Balance, entries.Sum(e => e.Amount));
        Assert.Equal(balance.Held, entries.Sum(e => e.HeldDelta));
        Assert.All(entries, e => Assert.True(e.BalanceAfter >= 0 && e.HeldAfter >= 0 && e.HeldAfter <= e.BalanceAfter, $"entry {e.Sequence}: {e.BalanceAfter}/{e.HeldAfter}"));
        return balance;
    }
}
