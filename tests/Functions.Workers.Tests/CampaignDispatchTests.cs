using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>The campaign-dispatch function through the embedded queue and the local trigger loop, with the host's payloads.</summary>
public sealed class CampaignDispatchTests : IDisposable
{
    private readonly CountingSender _inApp = new();
    private readonly WorkersHost _host;

    public CampaignDispatchTests() => _host = new WorkersHost { ExtraServices = s => s.AddSingleton<INotificationSender>(_inApp) };

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
        var campaign = (await _host.Get<CampaignService>().CreateAsync(alpha, shopkeeper, new CampaignInput(offer.Id, ["560001"], ["in_app", "push"], at, null), default)).Value;
        var loop = _host.Loop();
        Assert.False(await loop.HandleNextMessageAsync(default)); // not before its time
        Assert.Equal(0, _inApp.Count);

        await _host.DrainAsync(loop);

        var done = (await _host.Get<ICampaignStore>().GetAsync(alpha, campaign.Id, default))!;
        Assert.True(_host.Clock.Now >= at);
        Assert.Equal(CampaignStatus.Completed, done.Status);
        Assert.Equal(7 * (10 + 20), done.HeldCents);
        Assert.Equal(7, done.Sent); // in-app delivered
        Assert.Equal(7, done.Failed); // push: no sender registered here, released
        Assert.Equal(70, done.ChargedCents);
        Assert.Equal(140, done.ReleasedCents);
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

    private sealed class CountingSender : INotificationSender
    {
        private readonly ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);

        public NotificationChannel Channel => NotificationChannel.InApp;

        public int Count => _ids.Count;

        /// <summary>While this answers true, sends answer "deferred" (the provider's 429 after the adapter's retries).</summary>
        public Func<bool>? Defer { get; set; }

        public int Deferrals { get; private set; }

        public Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
        {
            if (Defer?.Invoke() == true)
            {
                Deferrals++;
                throw new NotificationDeferredException("busy") { RetryAfter = TimeSpan.FromMinutes(1) };
            }

            Assert.True(_ids.TryAdd(notification.MessageId, true), "sent twice");
            return Task.FromResult(DeliveryOutcome.Delivered);
        }
    }
}
