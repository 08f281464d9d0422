// Benchmark (not a test): one campaign to N consenting customers, end to end through the embedded queue (SQLite),
// handled by the real CampaignDispatcher with W concurrent receivers (as the local trigger loop, minus its loopback
// HTTP hop), and an in-app-like sender that stores each message once by its id (as an inbox does). Prints
// recipients/s from the dispatch message's first receive to the settlement, the hold and settle figures, and checks
// the wallet: the ledger sums to the balance and to what is held, nothing negative, one hold and one settlement.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Hosting;

var customers = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var workers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
var batchSize = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
var work = Directory.CreateTempSubdirectory("bench-campaigns-").FullName;
var tenantsFile = Path.Combine(work, "tenants.json");
File.WriteAllText(tenantsFile, """
{ "tenants": [ { "id": "bench", "name": "Bench", "upgrade_url": "https://bench.example/upgrade?token={link_token}",
  "wallet_currency": "USD", "campaign_prices_cents": { "in_app": 10, "push": 20, "whatsapp": 80 },
  "plans": [ { "id": "free", "name": "Free", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 0,
               "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true } ] } ] }
""");
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Store:Provider"] = "Sqlite",
    ["Sqlite:Path"] = Path.Combine(work, "bench.db"),
    ["Tenants:File"] = tenantsFile,
    ["Secrets:jwt_signing_key"] = "bench-signing-key-0123456789abcdef0123456789abcdef",
    ["Campaigns:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
}).Build();
var inbox = new InboxLikeSender();
var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
services.AddBackend(configuration, new BenchEnvironment(work));
services.AddSingleton<INotificationSender>(inbox);
await using var provider = services.BuildServiceProvider();
var check = await provider.GetRequiredService<IStoreLifecycle>().InitializeAsync(CancellationToken.None);
if (!check.IsReady)
{
    throw new InvalidOperationException(string.Join("; ", check.Problems));
}

var tenant = TenantId.Parse("bench");
var time = TimeProvider.System;
var shopkeeper = UserId.New();
var wallet = new WalletKey(tenant, shopkeeper, WalletKind.Money);
var wallets = provider.GetRequiredService<WalletService>();
var preferences = provider.GetRequiredService<ICustomerPreferenceStore>();

var seeding = Stopwatch.StartNew();
var now = time.GetUtcNow();
await Parallel.ForAsync(0, customers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
    await preferences.PutAsync(new CustomerPreferences(tenant, UserId.New(), ["560001", i % 2 == 0 ? "560002" : "560003"], new ChannelConsent(true, false, false), now), ct));
Console.WriteLine($"seeded {customers} customers in {seeding.Elapsed.TotalSeconds:F1} s");

var funds = (customers * 10L) + 12_345;
await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, funds, "top-up:bench", null, default);
var offer = (await provider.GetRequiredService<OfferCatalog>().CreateAsync(tenant, shopkeeper, new OfferInput("Bench sale", null, 10, ["560001"], now, now.AddDays(1)), default)).Value;
var campaign = (await provider.GetRequiredService<CampaignService>().CreateAsync(tenant, shopkeeper, new CampaignInput(offer.Id, ["560001", "560002"], ["in_app"], null, "Bench"), default)).Value;

var receiver = provider.GetRequiredService<IJobReceiver>();
var dispatcher = provider.GetRequiredService<CampaignDispatcher>();
var store = provider.GetRequiredService<ICampaignStore>();
var handled = 0;
var failed = 0;
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // bounded: a stuck run ends
var clock = Stopwatch.StartNew();
TimeSpan? dispatched = null;
await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var job = await receiver.ReceiveAsync([QueueNames.CampaignDispatch], TimeSpan.FromMinutes(5), stop.Token);
        if (job is null)
        {
            if ((await store.GetAsync(tenant, campaign.Id, default))!.Settled)
            {
                return;
            }

            await Task.Delay(5, stop.Token);
            continue;
        }

        try
        {
            if (!CampaignJob.TryParse(job.Body, out var parsed))
            {
                throw new InvalidOperationException("not a campaign job");
            }

            var state = await dispatcher.HandleAsync(parsed, stop.Token);
            if (parsed.Batch is null && state?.Status == CampaignStatus.Dispatching)
            {
                dispatched ??= clock.Elapsed;
            }

            await receiver.CompleteAsync(job, stop.Token);
            Interlocked.Increment(ref handled);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref failed);
            Console.Error.WriteLine($"{job.MessageId}: {e.Message}");
            await receiver.AbandonAsync(job, TimeSpan.Zero, "bench", stop.Token);
        }
    }
})));
clock.Stop();

var done = (await store.GetAsync(tenant, campaign.Id, default))!;
var entryStore = provider.GetRequiredService<IWalletStore>();
var entries = new List<LedgerEntry>();
long? before = null;
while (true)
{
    var page = await entryStore.ListEntriesAsync(wallet, before, 100, default);
    entries.AddRange(page);
    if (page.Count < 100)
    {
        break;
    }

    before = page[^1].Sequence;
}

var balance = await wallets.GetBalanceAsync(wallet, default);
var consistent = entries.Sum(e => e.Amount) == balance.Balance && entries.Sum(e => e.HeldDelta) == balance.Held
    && entries.All(e => e.BalanceAfter >= 0 && e.HeldAfter >= 0 && e.HeldAfter <= e.BalanceAfter)
    && entries.Count(e => e.Kind == LedgerEntryKind.Hold) == 1 && entries.Count(e => e.Kind == LedgerEntryKind.Charge) == 1;
Console.WriteLine($"campaign {done.Id}: {Text(done.Status)}, audience {done.Audience}, {done.BatchCount} batches of {batchSize}, {workers} receivers");
Console.WriteLine($"snapshot + hold: {dispatched?.TotalSeconds:F2} s; end to end (first receive → settled): {clock.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"recipients/s end to end: {done.Sent / clock.Elapsed.TotalSeconds:F0} ({done.Sent} delivered, {done.Failed} failed, {done.Skipped} skipped; inbox holds {inbox.Count}; {handled} messages handled, {failed} failed deliveries)");
Console.WriteLine($"held {done.HeldCents} cents once, settled once: charged {done.ChargedCents}, released {done.ReleasedCents}");
Console.WriteLine($"wallet: balance {balance.Balance} (was {funds}), held {balance.Held}; ledger {entries.Count} entries sum {entries.Sum(e => e.Amount)}; consistent: {consistent}");
Directory.Delete(work, recursive: true);
return consistent && done.Status == CampaignStatus.Completed && done.Sent == customers && inbox.Count == customers ? 0 : 1;

static string Text(CampaignStatus status) => CampaignChannels.Format(status);

internal sealed class InboxLikeSender : INotificationSender
{
    private readonly ConcurrentDictionary<string, CampaignNotification> _inbox = new(StringComparer.Ordinal);

    public NotificationChannel Channel => NotificationChannel.InApp;

    public int Count => _inbox.Count;

    public Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
    {
        _inbox.TryAdd(notification.MessageId, notification);
        return Task.FromResult(DeliveryOutcome.Delivered);
    }
}

internal sealed class BenchEnvironment(string root) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Benchmark";

    public string ApplicationName { get; set; } = "bench-campaigns";

    public string ContentRootPath { get; set; } = root;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
