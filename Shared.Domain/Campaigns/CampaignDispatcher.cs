using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>
/// The campaign-dispatch worker's logic. Every step is idempotent, so any message may be handled again after a crash
/// or a redelivery at any point:
/// dispatch: validate the offer → snapshot the audience once (stored in batches, with the prices) → hold the cost once
/// (key <c>campaign:{id}</c>; not enough funds: failed <c>insufficient_funds</c>, nothing held) → dispatching → send
/// one message per batch (deterministic ids);
/// batch: re-read consent → send what is not recorded yet → record each delivery once → mark the batch done → when
/// every batch is done, settle once (the delivered messages charged at the snapshot's prices, the rest released) and
/// invoice the charge once (source <c>campaign</c>, reference the campaign id).
/// </summary>
public sealed class CampaignDispatcher(
    ICampaignStore store,
    IOfferStore offers,
    ICustomerPreferenceStore preferences,
    IJobQueue queue,
    WalletService wallets,
    IWalletSettingsSource walletSettings,
    AudienceReader audience,
    IEnumerable<INotificationSender> senders,
    CampaignOptions options,
    TimeProvider time,
    Invoices.IInvoiceIssuer invoices)
{
    /// <summary>The last registered sender of each channel.</summary>
    private readonly Dictionary<NotificationChannel, INotificationSender> _senders = senders.GroupBy(s => s.Channel).ToDictionary(g => g.Key, g => g.Last());

    public const string InsufficientFunds = "insufficient_funds";
    public const string OfferUnavailable = "offer_unavailable";
    public const string WalletsNotEnabled = "wallets_not_enabled";
    public const string AudienceTooLarge = "audience_too_large";

    public Task<Campaign?> HandleAsync(CampaignJob job, CancellationToken cancellationToken) =>
        job.Batch is { } batch
            ? DeliverBatchAsync(job.TenantId, job.CampaignId, batch, cancellationToken, giveUp: job.Deferrals > options.MaxDeferrals)
            : DispatchAsync(job.TenantId, job.CampaignId, cancellationToken);

    public async Task<Campaign?> DispatchAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken)
    {
        var campaign = await store.GetAsync(tenantId, campaignId, cancellationToken);
        if (campaign is { Status: CampaignStatus.Cancelled, HeldCents: 0 })
        {
            // Cancelled before it was dispatching, even if the cancellation already settled it: a hold this dispatch made
            // while the cancellation ran (after the cancellation's own release found none) is released whole here, also
            // on a redelivery after a crash. Releasing a hold that is gone is a no-op.
            return await ReleaseBeforeDispatchAsync(store, wallets, campaign, time.GetUtcNow(), cancellationToken);
        }

        if (campaign is null || campaign.Settled || campaign.Status is CampaignStatus.Completed or CampaignStatus.Failed)
        {
            return campaign; // unknown (nothing to do) or finished: a redelivery
        }

        if (campaign.Status == CampaignStatus.Queued)
        {
            campaign = await StartAsync(campaign, cancellationToken);
            if (campaign is { Status: CampaignStatus.Cancelled, HeldCents: 0 })
            {
                return await ReleaseBeforeDispatchAsync(store, wallets, campaign, time.GetUtcNow(), cancellationToken);
            }

            if (campaign.Status is not (CampaignStatus.Dispatching or CampaignStatus.Cancelled) || campaign.Settled)
            {
                return campaign;
            }
        }

        // Dispatching (or cancelled while dispatching): the batches finish the campaign, so they are sent even after a
        // cancellation (they then send nothing and the last one settles). Duplicates are dropped by id where the queue
        // detects them, and are harmless where it does not.
        var messages = Enumerable.Range(0, campaign.BatchCount ?? 0).Select(n => new CampaignJob(tenantId, campaignId, n).ToMessage()).ToList();
        foreach (var chunk in messages.Chunk(100))
        {
            await queue.SendAsync(QueueNames.CampaignDispatch, chunk, cancellationToken);
        }

        return campaign;
    }

    private async Task<Campaign> StartAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var offer = await offers.GetAsync(campaign.TenantId, campaign.OfferId, cancellationToken);
        if (offer is null || offer.ShopkeeperId != campaign.ShopkeeperId || !offer.IsActiveAt(now))
        {
            return await FailAsync(campaign, OfferUnavailable, cancellationToken);
        }

        if (campaign.BatchCount is null)
        {
            if (walletSettings.Find(campaign.TenantId) is not { } settings)
            {
                return await FailAsync(campaign, WalletsNotEnabled, cancellationToken);
            }

            // A wallet that cannot pay for a single message fails the campaign before its audience is read into memory
            // and stored (the hold below is still the real check: funds may go between here and there).
            var cheapest = campaign.Channels.Min(c => CampaignChannels.PriceOf(settings.CampaignPrices, c));
            if ((await wallets.GetBalanceAsync(campaign.Wallet, cancellationToken)).Available < cheapest)
            {
                return await FailAsync(campaign, InsufficientFunds, cancellationToken);
            }

            var members = await audience.ReadAsync(campaign.TenantId, campaign.PinCodes, campaign.Channels, cancellationToken);
            if (members is null)
            {
                return await FailAsync(campaign, AudienceTooLarge, cancellationToken);
            }

            var estimate = AudienceReader.Estimate(members, settings.CampaignPrices);
            var batches = members.Select(m => new CampaignRecipient(m.UserId, m.Channels)).Chunk(Math.Max(1, options.BatchSize)).Select(b => (IReadOnlyList<CampaignRecipient>)b).ToList();
            var snapshot = campaign with
            {
                BatchCount = batches.Count,
                Audience = estimate.Audience,
                Messages = estimate.Messages,
                CostCents = estimate.CostCents,
                Prices = settings.CampaignPrices,
                UpdatedAt = now,
            };
            var saved = await store.SaveSnapshotAsync(snapshot, batches, cancellationToken);
            campaign = saved ?? (await store.GetAsync(campaign.TenantId, campaign.Id, cancellationToken))!;
            if (campaign.Status != CampaignStatus.Queued || campaign.BatchCount is null)
            {
                return campaign; // cancelled meanwhile; the caller releases
            }
        }

        if (campaign.CostCents == 0)
        {
            // Nobody to reach: nothing to hold or charge.
            return (await store.UpdateAsync(campaign.TenantId, campaign.Id, c => c.Status == CampaignStatus.Queued ? c with { Status = CampaignStatus.Completed, Settled = true, UpdatedAt = now } : null, cancellationToken))!;
        }

        var hold = await wallets.HoldAsync(campaign.Wallet, campaign.CostCents, campaign.HoldKey, campaign.Id, cancellationToken);
        if (!hold.IsSuccess)
        {
            throw new InvalidOperationException($"The hold of campaign {campaign.Id} was refused as invalid: {hold.Error!.Code}.");
        }

        switch (hold.Value.Outcome)
        {
            case WalletOutcome.Applied or WalletOutcome.Replayed:
                var held = campaign.CostCents;
                return (await store.UpdateAsync(campaign.TenantId, campaign.Id, c => c.Status == CampaignStatus.Queued ? c with { Status = CampaignStatus.Dispatching, HeldCents = held, UpdatedAt = now } : null, cancellationToken))!;
            case WalletOutcome.InsufficientFunds:
                return await FailAsync(campaign, InsufficientFunds, cancellationToken);
            default:
                throw new InvalidOperationException($"The hold of campaign {campaign.Id} was refused: {hold.Value.Outcome}.");
        }
    }

    private async Task<Campaign> FailAsync(Campaign campaign, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await store.UpdateAsync(campaign.TenantId, campaign.Id, c => c.Status == CampaignStatus.Queued ? c with { Status = CampaignStatus.Failed, FailureReason = reason, Settled = true, UpdatedAt = now } : null, cancellationToken))!;
    }

    /// <summary>
    /// A campaign cancelled before dispatch: releases its hold if one was made (a hold made after this release is
    /// released by the dispatcher, which finds the campaign cancelled) and records what was released.
    /// </summary>
    internal static async Task<Campaign> ReleaseBeforeDispatchAsync(ICampaignStore store, WalletService wallets, Campaign campaign, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var release = await wallets.ReleaseAsync(campaign.Wallet, campaign.HoldKey, campaign.Id, cancellationToken);
        var released = release.IsSuccess && release.Value.Succeeded ? release.Value.Entries.Where(e => e.Kind == LedgerEntryKind.Release).Sum(e => -e.HeldDelta) : 0;
        if (release.IsSuccess && release.Value.Outcome is not (WalletOutcome.Applied or WalletOutcome.Replayed or WalletOutcome.HoldNotFound))
        {
            throw new InvalidOperationException($"Releasing campaign {campaign.Id} was refused: {release.Value.Outcome}.");
        }

        // Figures only grow: a late release by the dispatcher is never overwritten by an earlier empty one.
        return (await store.UpdateAsync(campaign.TenantId, campaign.Id, c => c.Status == CampaignStatus.Cancelled && c.HeldCents == 0
            ? c with { Settled = true, ReleasedCents = Math.Max(c.ReleasedCents, released), UpdatedAt = now }
            : null, cancellationToken))!;
    }

    /// <summary>
    /// Sends what the batch has not recorded yet, marks it done and settles the campaign after its last batch. With
    /// <paramref name="giveUp"/> (a batch deferred more than <see cref="CampaignOptions.MaxDeferrals"/> times) nothing
    /// is sent: the unrecorded messages are recorded failed (released, never charged) and the batch completes.
    /// </summary>
    public async Task<Campaign?> DeliverBatchAsync(TenantId tenantId, string campaignId, int number, CancellationToken cancellationToken, bool giveUp = false)
    {
        var campaign = await store.GetAsync(tenantId, campaignId, cancellationToken);
        if (campaign is null || campaign.Settled || campaign.BatchCount is not { } count || number >= count || campaign.HeldCents == 0)
        {
            return campaign; // unknown, finished, or not dispatched (a batch message exists only after the hold)
        }

        var batch = await store.GetBatchAsync(tenantId, campaignId, number, cancellationToken)
            ?? throw new InvalidOperationException($"Batch {number} of campaign {campaignId} is missing from its snapshot.");
        if (!batch.Done)
        {
            var recorded = batch.Deliveries.Select(d => (d.UserId, d.Channel)).ToHashSet();
            var pending = batch.Recipients.Select(r => r with { Channels = [.. r.Channels.Where(c => !recorded.Contains((r.UserId, c)))] }).Where(r => r.Channels.Count > 0).ToList();
            if (giveUp)
            {
                // Recorded once like any outcome: a delivery recorded meanwhile by a late copy stays as it was.
                var failed = pending.SelectMany(r => r.Channels.Select(c => new CampaignDelivery(r.UserId, c, DeliveryStatus.Failed))).ToList();
                if (failed.Count > 0)
                {
                    await store.RecordDeliveriesAsync(tenantId, campaignId, number, failed, cancellationToken);
                }

                pending = [];
            }

            foreach (var chunk in pending.Chunk(Math.Max(1, options.ChunkSize)))
            {
                // Re-read before each chunk: a cancellation stops the sending, a withdrawn consent skips the customer.
                if ((await store.GetAsync(tenantId, campaignId, cancellationToken))?.Status != CampaignStatus.Dispatching)
                {
                    break;
                }

                await SendChunkAsync(campaign, number, chunk, cancellationToken);
            }
        }

        var done = await store.CompleteBatchAsync(tenantId, campaignId, number, cancellationToken);
        return done < count ? campaign : await SettleAsync(tenantId, campaignId, cancellationToken);
    }

    private async Task SendChunkAsync(Campaign campaign, int number, CampaignRecipient[] chunk, CancellationToken cancellationToken)
    {
        var consent = await preferences.GetConsentAsync(campaign.TenantId, [.. chunk.Select(r => r.UserId)], cancellationToken);
        var messages = chunk.SelectMany(r => r.Channels.Select(c => (r.UserId, Channel: c))).ToList();
        var outcomes = new CampaignDelivery?[messages.Count];
        Exception? deferred = null;
        Exception? failure = null;
        try
        {
            await SendAllAsync();
        }
        finally
        {
            // What was decided is recorded even when some messages were deferred or failed to send (or the sending was
            // cancelled), so a redelivery does not send them again; the undecided ones go again under the same ids.
            var decided = outcomes.OfType<CampaignDelivery>().ToList();
            if (decided.Count > 0)
            {
                // Not the invocation's token: if the host is stopping, what went out is still worth recording.
                await store.RecordDeliveriesAsync(campaign.TenantId, campaign.Id, number, decided, CancellationToken.None);
            }
        }

        // A failure (redelivered at once) comes before a deferral (scheduled later): either way the undecided messages return.
        if ((failure ?? deferred) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }

        Task SendAllAsync() => Parallel.ForAsync(0, messages.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.SendConcurrency), CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (user, channel) = messages[i];
            if (!consent.TryGetValue(user, out var current) || !current.Allows(channel))
            {
                outcomes[i] = new CampaignDelivery(user, channel, DeliveryStatus.Skipped);
                return;
            }

            if (!_senders.TryGetValue(channel, out var sender))
            {
                outcomes[i] = new CampaignDelivery(user, channel, DeliveryStatus.Failed); // nothing can carry it: released
                return;
            }

            try
            {
                var notification = new CampaignNotification(campaign.TenantId, user, channel, MessageIdOf(campaign.Id, user, channel), campaign.Id, campaign.OfferId, campaign.Text);
                var outcome = await sender.SendAsync(notification, ct);
                outcomes[i] = new CampaignDelivery(user, channel, outcome == DeliveryOutcome.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed);
            }
            catch (NotificationDeferredException e)
            {
                // Not recorded: the batch comes back and sends it again (same message id).
                Interlocked.CompareExchange(ref deferred, e, null);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Not recorded either, and the other messages of the chunk go on: one send's failure must not leave
                // the messages already sent unrecorded (they would go out twice on redelivery).
                Interlocked.CompareExchange(ref failure, e, null);
            }
        });
    }

    /// <summary>Closes the hold once: the delivered messages charged at the snapshot's prices, the rest released.</summary>
    public async Task<Campaign?> SettleAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken)
    {
        var campaign = await store.GetAsync(tenantId, campaignId, cancellationToken);
        if (campaign is null || campaign.Settled)
        {
            return campaign;
        }

        var totals = await store.TotalsAsync(tenantId, campaignId, cancellationToken);
        var charged = totals.ChargeFor(campaign.Prices!);
        var settled = await wallets.SettleAsync(campaign.Wallet, campaign.HoldKey, charged, campaign.Id, cancellationToken);
        if (!settled.IsSuccess || !settled.Value.Succeeded)
        {
            // Deliveries are final once the last batch is done, so a second settlement asks for the same amount; any
            // other answer means the ledger and the campaign disagree: it stays unsettled and visible, never guessed.
            throw new InvalidOperationException($"Settling campaign {campaignId} for {charged} was refused: {(settled.IsSuccess ? settled.Value.Outcome.ToString() : settled.Error!.Code)}.");
        }

        // Invoiced after the wallet settled and before the campaign is marked settled: a crash in between leaves the
        // campaign unsettled, so the redelivered batch settles again (the wallet answers its first settlement) and
        // issues again (the issuer answers the invoice issued first). Nothing charged, nothing invoiced.
        if (charged > 0)
        {
            await InvoiceAsync(campaign, totals, charged, cancellationToken);
        }

        var now = time.GetUtcNow();
        return await store.UpdateAsync(tenantId, campaignId, c => c.Settled ? null : c with
        {
            Status = c.Status == CampaignStatus.Cancelled ? CampaignStatus.Cancelled : CampaignStatus.Completed,
            Sent = totals.Sent,
            Failed = totals.Failed,
            Skipped = totals.Skipped,
            ChargedCents = charged,
            ReleasedCents = c.HeldCents - charged,
            Settled = true,
            UpdatedAt = now,
        }, cancellationToken);
    }

    private async Task InvoiceAsync(Campaign campaign, CampaignTotals totals, long charged, CancellationToken cancellationToken)
    {
        var currency = walletSettings.Find(campaign.TenantId)?.Currency
            ?? throw new InvalidOperationException($"Campaign {campaign.Id} was charged {charged} but its tenant has no wallet currency to invoice in.");
        var lines = totals.Delivered
            .Where(d => d.Value > 0)
            .OrderBy(d => d.Key)
            .Select(d =>
            {
                var unit = CampaignChannels.PriceOf(campaign.Prices!, d.Key);
                return new Invoices.InvoiceLine($"Campaign messages ({CampaignChannels.Format(d.Key)})", d.Value, unit, d.Value * unit);
            })
            .ToList();
        var issued = await invoices.IssueAsync(new Invoices.InvoiceRequest(campaign.TenantId, campaign.ShopkeeperId, Invoices.InvoiceSourceKind.Campaign, campaign.Id, charged, currency, lines), cancellationToken);
        if (!issued.IsSuccess)
        {
            throw new InvalidOperationException($"The invoice of campaign {campaign.Id} ({charged}) was refused: {issued.Error!.Code}.");
        }
    }

    /// <summary>The deterministic id of one message: the same campaign, recipient and channel always give the same id.</summary>
    public static string MessageIdOf(string campaignId, UserId userId, NotificationChannel channel) => $"{campaignId}:{userId.Value}:{CampaignChannels.Format(channel)}";
}
