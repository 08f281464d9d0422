using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>The campaign-dispatch function through the embedded queue and the local trigger loop, with the host's payloads.</summary>
public sealed class CampaignDispatchTests : IDisposable
{
    private readonly CountingSender _inApp = new();
    private readonly WorkersHost _host;

    /// <summary>While this answers true, every call to the campaign store throws SQLite's "database is locked" (a transient store failure).</summary>
    private Func<bool> _storeDown = () => false;

    // At most 3 deferrals of a batch here (20 by default), so a provider that never recovers is given up on quickly.
    public CampaignDispatchTests() => _host = new WorkersHost(new Dictionary<string, string?> { ["Campaigns:MaxDeferrals"] = "3" })
    {
        ExtraServices = s =>
        {
            s.AddSingleton<INotificationSender>(_inApp);
            var store = s.Single(d => d.ServiceType == typeof(ICampaignStore));
            s.Remove(store);
            s.AddSingleton<ICampaignStore>(sp => new SwitchableCampaignStore((ICampaignStore)ActivatorUtilities.CreateInstance(sp, store.ImplementationType!), () => _storeDown()));
        },
    };

    private async Task<(TenantId Tenant, WalletKey Wallet, Campaign Campaign)> FiveCustomerCampaignAsync()
    {
        var alpha = TenantId.Parse("alpha");
        var shopkeeper = UserId.New();
        var wallet = new WalletKey(alpha, shopkeeper, WalletKind.Money);
        var now = _host.Clock.GetUtcNow();
        await _host.Get<WalletService>().CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up:test", null, default);
        var offer = (await _host.Get<OfferCatalog>().CreateAsync(alpha, shopkeeper, new OfferInput("Sale", null, 10, ["560001"], now, now.AddDays(3)), default)).Value;
        for (var i = 0; i < 5; i++)
        {
            await _host.Get<CustomerPreferenceService>().PutAsync(alpha, UserId.New(), ["560001"], true, false, false, true, default);
        }

        var campaign = (await _host.Get<CampaignService>().CreateAsync(alpha, shopkeeper, new CampaignInput(offer.Id, ["560001"], ["in_app"], null, null), default)).Value;
        return (alpha, wallet, campaign);
    }

    [Fact]
    public async Task A_store_unreachable_for_three_minutes_puts_the_messages_back_for_later_instead_of_dead_lettering_them_and_the_campaign_settles()
    {
        var (alpha, wallet, campaign) = await FiveCustomerCampaignAsync();
        var until = _host.Clock.GetUtcNow().AddMinutes(3);
        _storeDown = () => _host.Clock.GetUtcNow() < until; // longer than the host's quick redeliveries last

        await _host.DrainAsync(_host.Loop());

        Assert.True(_host.Clock.GetUtcNow() >= until);
        Assert.Empty(await _host.Get<IJobReceiver>().ListDeadLettersAsync(QueueNames.CampaignDispatch, 10, default));
        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.Equal((CampaignStatus.Completed, true, 5L, 50L), (done.Status, done.Settled, done.Sent, done.ChargedCents));
        Assert.Equal(5, _inApp.Count);
        Assert.Equal(new WalletBalance(950, 0), await _host.Get<WalletService>().GetBalanceAsync(wallet, default));
    }

    [Fact]
    public async Task A_provider_that_defers_forever_is_given_up_after_the_deferral_cap_and_the_whole_hold_is_released()
    {
        var (alpha, wallet, campaign) = await FiveCustomerCampaignAsync();
        _inApp.Defer = () => true; // a revoked token: every send deferred, for ever

        await _host.DrainAsync(_host.Loop());

        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.Equal(5 * 4, _inApp.Deferrals); // 5 messages tried by the batch and its 3 deferred copies; the 4th copy gave up without sending
        Assert.Equal((CampaignStatus.Completed, true), (done.Status, done.Settled));
        Assert.Equal((0L, 5L, 0L, 50L, 50L), (done.Sent, done.Failed, done.ChargedCents, done.HeldCents, done.ReleasedCents));
        Assert.Equal(0, _inApp.Count);
        Assert.Empty(_host.Queued());
        Assert.Equal(new WalletBalance(1_000, 0), await _host.Get<WalletService>().GetBalanceAsync(wallet, default));
    }

    [Fact]
    public async Task A_batch_whose_sends_keep_failing_is_given_up_on_its_last_delivery_and_its_cost_released_not_dead_lettered()
    {
        var (alpha, wallet, campaign) = await FiveCustomerCampaignAsync();
        _inApp.Throw = () => true; // a sender bug: every send throws

        await _host.DrainAsync(_host.Loop());

        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.Empty(await _host.Get<IJobReceiver>().ListDeadLettersAsync(QueueNames.CampaignDispatch, 10, default));
        Assert.Equal((CampaignStatus.Completed, true), (done.Status, done.Settled));
        Assert.Equal((0L, 5L, 0L, 50L), (done.Sent, done.Failed, done.ChargedCents, done.ReleasedCents));
        Assert.Equal(new WalletBalance(1_000, 0), await _host.Get<WalletService>().GetBalanceAsync(wallet, default));
    }

    [Fact]
    public async Task A_scheduled_campaign_runs_at_its_time_through_the_queue_and_charges_what_was_delivered()
    {
        var alpha = TenantId.Parse("alpha");
        var shopkeeper = UserId.New();
        var wallet = new WalletKey(alpha, shopkeeper, WalletKind.Money);
        var now = _host.Clock.GetUtcNow();
        await _host.Get<WalletService>().CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up:test", null, default);
        var offer = (await _host.Get<OfferCatalog>().CreateAsync(alpha, shopkeeper, new OfferInput("Sale", null, 10, ["560001"], now, now.AddDays(3)), default)).Value;
        for (var i = 0; i < 7; i++)
        {
            await _host.Get<CustomerPreferenceService>().PutAsync(alpha, UserId.New(), ["560001"], true, true, false, true, default);
        }

        var at = now.AddHours(2);
        // No push sender is registered here: a campaign asking for push is refused up front, not released later.
        Assert.Equal(CampaignService.ChannelUnavailable, (await _host.Get<CampaignService>().CreateAsync(alpha, shopkeeper, new CampaignInput(offer.Id, ["560001"], ["in_app", "push"], at, null), default)).Error!.Code);
        var campaign = (await _host.Get<CampaignService>().CreateAsync(alpha, shopkeeper, new CampaignInput(offer.Id, ["560001"], ["in_app"], at, null), default)).Value;
        var loop = _host.Loop();
        Assert.False(await loop.HandleNextMessageAsync(default)); // not before its time
        Assert.Equal(0, _inApp.Count);

        await _host.DrainAsync(loop);

        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.True(_host.Clock.Now >= at);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(7 * 10, done.HeldCents);
        Assert.Equal(7, done.Sent); // in-app delivered
        Assert.Equal(0, done.Failed);
        Assert.Equal(70, done.ChargedCents);
        Assert.Equal(0, done.ReleasedCents);
        Assert.Equal(7, _inApp.Count);
        Assert.Equal(new WalletBalance(930, 0), await _host.Get<WalletService>().GetBalanceAsync(wallet, default));
    }

    [Fact]
    public async Task A_batch_deferred_by_the_provider_twice_in_a_row_comes_back_each_time_and_the_campaign_settles()
    {
        var alpha = TenantId.Parse("alpha");
        var shopkeeper = UserId.New();
        var wallet = new WalletKey(alpha, shopkeeper, WalletKind.Money);
        var now = _host.Clock.GetUtcNow();
        await _host.Get<WalletService>().CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up:test", null, default);
        var offer = (await _host.Get<OfferCatalog>().CreateAsync(alpha, shopkeeper, new OfferInput("Sale", null, 10, ["560001"], now, now.AddDays(3)), default)).Value;
        for (var i = 0; i < 5; i++)
        {
            await _host.Get<CustomerPreferenceService>().PutAsync(alpha, UserId.New(), ["560001"], true, false, false, true, default);
        }

        // The provider is busy for 90 s and asks for a minute each time: the batch and its first copy are both deferred.
        var busyUntil = now.AddSeconds(90);
        _inApp.Defer = () => _host.Clock.GetUtcNow() < busyUntil;
        var campaign = (await _host.Get<CampaignService>().CreateAsync(alpha, shopkeeper, new CampaignInput(offer.Id, ["560001"], ["in_app"], null, null), default)).Value;

        await _host.DrainAsync(_host.Loop());

        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.True(_inApp.Deferrals >= 2, $"deferred {_inApp.Deferrals} times");
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(5, done.Sent);
        Assert.Equal(50, done.ChargedCents);
        Assert.Equal(new WalletBalance(950, 0), await _host.Get<WalletService>().GetBalanceAsync(wallet, default));
    }

    [Fact]
    public async Task A_message_that_is_not_a_campaign_job_is_refused_with_400()
    {
        var (status, _) = await _host.InvokeAsync(Functions.Workers.CampaignFunctions.CampaignDispatch, WorkersHost.HostMessagePayload("{\"campaign_id\":\"x\"}", "m1", 1));
        Assert.Equal(400, status);
    }

    public void Dispose() => _host.Dispose();

    private sealed class SwitchableCampaignStore(ICampaignStore inner, Func<bool> down) : ICampaignStore
    {
        public Task<CampaignCreation> TryCreateAsync(Campaign campaign, int maxActive, CancellationToken cancellationToken) => Guard(() => inner.TryCreateAsync(campaign, maxActive, cancellationToken));

        public Task<Campaign?> GetAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken) => Guard(() => inner.GetAsync(tenantId, campaignId, cancellationToken));

        public Task<Campaign?> TryReplaceAsync(Campaign next, CancellationToken cancellationToken) => Guard(() => inner.TryReplaceAsync(next, cancellationToken));

        public Task<Campaign?> SaveSnapshotAsync(Campaign next, IReadOnlyList<IReadOnlyList<CampaignRecipient>> batches, CancellationToken cancellationToken) => Guard(() => inner.SaveSnapshotAsync(next, batches, cancellationToken));

        public Task<CampaignBatch?> GetBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken) => Guard(() => inner.GetBatchAsync(tenantId, campaignId, batch, cancellationToken));

        public Task RecordDeliveriesAsync(TenantId tenantId, string campaignId, int batch, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken) => Guard(() => inner.RecordDeliveriesAsync(tenantId, campaignId, batch, deliveries, cancellationToken));

        public Task<int> CompleteBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken) => Guard(() => inner.CompleteBatchAsync(tenantId, campaignId, batch, cancellationToken));

        public Task<CampaignTotals> TotalsAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken) => Guard(() => inner.TotalsAsync(tenantId, campaignId, cancellationToken));

        private Task Guard(Func<Task> call) => down() ? throw new Microsoft.Data.Sqlite.SqliteException("database is locked (test)", 5) : call();

        private Task<T> Guard<T>(Func<Task<T>> call) => down() ? throw new Microsoft.Data.Sqlite.SqliteException("database is locked (test)", 5) : call();
    }

    private sealed class CountingSender : INotificationSender
    {
        private readonly ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);

        public NotificationChannel Channel => NotificationChannel.InApp;

        public int Count => _ids.Count;

        /// <summary>While this answers true, sends answer "deferred" (the provider's 429 after the adapter's retries).</summary>
        public Func<bool>? Defer { get; set; }

        private int _deferrals;

        /// <summary>Sends answered "deferred" (counted atomically: a chunk's sends run in parallel).</summary>
        public int Deferrals => _deferrals;

        /// <summary>While this answers true, sends throw (not a deferral: a failure the dispatcher cannot classify).</summary>
        public Func<bool>? Throw { get; set; }

        public Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
        {
            if (Throw?.Invoke() == true)
            {
                throw new InvalidOperationException("Injected: the sender failed.");
            }

            if (Defer?.Invoke() == true)
            {
                Interlocked.Increment(ref _deferrals);
                throw new NotificationDeferredException("busy") { RetryAfter = TimeSpan.FromMinutes(1) };
            }

            Assert.True(_ids.TryAdd(notification.MessageId, true), "sent twice");
            return Task.FromResult(DeliveryOutcome.Delivered);
        }
    }
}
