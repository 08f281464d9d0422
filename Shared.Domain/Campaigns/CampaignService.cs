using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>
/// The campaign use cases of the API: create (stored queued, its dispatch message sent for its time), read (its
/// shopkeeper only), cancel, and estimate (audience and cost now, nothing held). The work happens in
/// <see cref="CampaignDispatcher"/>.
/// </summary>
public sealed class CampaignService(
    ICampaignStore store,
    IOfferStore offers,
    IJobQueue queue,
    WalletService wallets,
    IWalletSettingsSource walletSettings,
    AudienceReader audience,
    CampaignOptions options,
    TimeProvider time,
    IEnumerable<INotificationSender> senders)
{
    public const int TextMax = 1000;

    public const string ChannelUnavailable = "channel_unavailable";

    public const string IdempotencyKeyReused = "idempotency_key_reused";

    public const string TooManyActiveCampaigns = "too_many_active_campaigns";

    /// <summary>The channels a sender is configured for (the workers share the API's notification settings).</summary>
    private readonly HashSet<NotificationChannel> _available = [.. senders.Select(s => s.Channel)];

    public Task<Result<Campaign>> CreateAsync(TenantId tenantId, UserId shopkeeper, CampaignInput input, CancellationToken cancellationToken) =>
        CreateAsync(tenantId, shopkeeper, input, null, cancellationToken);

    /// <summary>
    /// Queues a campaign. Under an <paramref name="idempotencyKey"/> its id is derived from (tenant, shopkeeper, key): a
    /// retry of the same request answers the campaign of the first (and sends its dispatch message again while it is
    /// queued: the message id is the same, and the dispatch is idempotent); another request under the same key is a
    /// conflict (<see cref="IdempotencyKeyReused"/>).
    /// </summary>
    public async Task<Result<Campaign>> CreateAsync(TenantId tenantId, UserId shopkeeper, CampaignInput input, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        var pins = PinCodes.Read(input.PinCodes, "pin_codes", errors);
        var channels = ReadChannels(input.Channels, errors);
        if (input.ScheduledAt is { } at && (at <= now || at - now > options.MaxSchedule))
        {
            errors.Add("scheduled_at", $"In the future, at most {options.MaxSchedule.TotalDays:0} days ahead.");
        }

        var text = string.IsNullOrWhiteSpace(input.Text) ? null : input.Text.Trim();
        if (text is { Length: > TextMax } || (text is not null && text.Any(c => char.IsControl(c) && c != '\n')))
        {
            errors.Add("text", $"At most {TextMax} characters, no control characters but line breaks.");
        }

        if (string.IsNullOrEmpty(input.OfferId))
        {
            errors.Add("offer_id", "Required.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        if (walletSettings.Find(tenantId) is null)
        {
            return Error.NotFound("wallets_not_enabled", "This tenant has no wallets, so no campaigns.");
        }

        var requestHash = RequestHashOf(input.OfferId!, pins!, channels!, input.ScheduledAt?.ToUniversalTime(), text);
        var id = idempotencyKey is { } key ? Campaign.IdFor(tenantId, shopkeeper, key) : Campaign.NewId();
        if (idempotencyKey is not null && await store.GetAsync(tenantId, id, cancellationToken) is { } first)
        {
            return await RepeatAsync(first, shopkeeper, requestHash, cancellationToken);
        }

        // Someone else's offer answers as a missing one: ids of other shops are not confirmed.
        var offer = Offer.IsId(input.OfferId) ? await offers.GetAsync(tenantId, input.OfferId, cancellationToken) : null;
        if (offer is null || offer.ShopkeeperId != shopkeeper)
        {
            return Error.NotFound("offer_not_found", "No such offer of yours.");
        }

        var start = input.ScheduledAt?.ToUniversalTime() ?? now;
        if (start >= offer.ValidUntil)
        {
            return new Error(ErrorKind.Conflict, "offer_expired", "The offer is no longer valid when the campaign would start.");
        }

        if (channels!.Where(c => !_available.Contains(c)).Select(CampaignChannels.Format).ToList() is { Count: > 0 } unavailable)
        {
            // Refused now rather than released later by the worker, which has no sender for it either.
            return new Error(ErrorKind.Validation, ChannelUnavailable, $"No sender is configured for {string.Join(", ", unavailable)} on this deployment.");
        }

        var campaign = new Campaign(id, tenantId, shopkeeper, offer.Id, pins!, channels!, text ?? DefaultText(offer), input.ScheduledAt?.ToUniversalTime(), CampaignStatus.Queued, null, now, now)
        {
            RequestHash = idempotencyKey is null ? null : requestHash,
        };
        switch (await store.TryCreateAsync(campaign, options.MaxActivePerShopkeeper, cancellationToken))
        {
            case CampaignCreation.Created:
                await SendDispatchAsync(campaign, cancellationToken);
                return campaign;
            case CampaignCreation.Exists:
                // A concurrent request under the same key created it first (one still being admitted reads as none).
                return await store.GetAsync(tenantId, id, cancellationToken) is { } existing
                    ? await RepeatAsync(existing, shopkeeper, requestHash, cancellationToken)
                    : new Error(ErrorKind.Conflict, IdempotencyKeyReused, "This Idempotency-Key is in use by another request.");
            default:
                return new Error(ErrorKind.TooManyRequests, TooManyActiveCampaigns, $"At most {options.MaxActivePerShopkeeper} campaigns may be queued or dispatching at once; wait for one to finish, or cancel one.");
        }
    }

    private async Task<Result<Campaign>> RepeatAsync(Campaign first, UserId shopkeeper, string requestHash, CancellationToken cancellationToken)
    {
        if (first.ShopkeeperId != shopkeeper || first.RequestHash != requestHash)
        {
            return new Error(ErrorKind.Conflict, IdempotencyKeyReused, "This Idempotency-Key was used for a different campaign.");
        }

        if (first.Status == CampaignStatus.Queued)
        {
            // The first request may have stopped between storing the campaign and sending its message.
            await SendDispatchAsync(first, cancellationToken);
        }

        return first;
    }

    private Task SendDispatchAsync(Campaign campaign, CancellationToken cancellationToken) =>
        queue.SendAsync(QueueNames.CampaignDispatch, [new CampaignJob(campaign.TenantId, campaign.Id, null).ToMessage(campaign.ScheduledAt)], cancellationToken);

    /// <summary>The request as validated (normalised pin codes and channels, trimmed text), hashed: what a retry must repeat.</summary>
    private static string RequestHashOf(string offerId, IReadOnlyList<string> pins, IReadOnlyList<NotificationChannel> channels, DateTimeOffset? scheduledAt, string? text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new object?[]
        {
            offerId,
            pins,
            channels.Select(CampaignChannels.Format),
            scheduledAt?.ToUnixTimeMilliseconds(),
            text,
        }))), 0, 16);

    /// <summary>
    /// The campaign if the caller is its shopkeeper: one read of the campaign alone. While it runs, sent, failed and
    /// skipped are the running totals of its finished batches (kept by <see cref="ICampaignStore.CompleteBatchAsync"/>).
    /// </summary>
    public async Task<Result<Campaign>> GetAsync(TenantId tenantId, UserId caller, string campaignId, CancellationToken cancellationToken)
    {
        var campaign = Campaign.IsId(campaignId) ? await store.GetAsync(tenantId, campaignId, cancellationToken) : null;
        return campaign is null || campaign.ShopkeeperId != caller ? NotFound() : campaign;
    }

    /// <summary>
    /// Cancels a queued or dispatching campaign. Before dispatch the hold (if any) is released at once; during
    /// dispatch the batches stop sending, and when the last one has stopped the campaign settles: what was delivered
    /// is charged, the unsent remainder released.
    /// </summary>
    public async Task<Result<Campaign>> CancelAsync(TenantId tenantId, UserId caller, string campaignId, CancellationToken cancellationToken)
    {
        var current = Campaign.IsId(campaignId) ? await store.GetAsync(tenantId, campaignId, cancellationToken) : null;
        if (current is null || current.ShopkeeperId != caller)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var cancelled = await store.UpdateAsync(tenantId, campaignId, c => c.Status is CampaignStatus.Queued or CampaignStatus.Dispatching ? c with { Status = CampaignStatus.Cancelled, UpdatedAt = now } : null, cancellationToken);
        if (cancelled!.Status != CampaignStatus.Cancelled)
        {
            return new Error(ErrorKind.Conflict, "campaign_finished", $"The campaign is {CampaignChannels.Format(cancelled.Status)}; it can no longer be cancelled.");
        }

        if (cancelled.HeldCents == 0 && !cancelled.Settled)
        {
            cancelled = await CampaignDispatcher.ReleaseBeforeDispatchAsync(store, wallets, cancelled, now, cancellationToken);
        }

        return cancelled;
    }

    /// <summary>
    /// The audience and cost a campaign would have now (the audience counted in the store, the count reused for
    /// <see cref="CampaignOptions.EstimateCacheDuration"/>; the cost at the tenant's current prices); nothing held.
    /// </summary>
    public async Task<Result<CampaignEstimate>> EstimateAsync(TenantId tenantId, IReadOnlyList<string?>? pinCodes, IReadOnlyList<string?>? channels, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pins = PinCodes.Read(pinCodes, "pin_codes", errors);
        var parsed = ReadChannels(channels, errors);
        if (errors.Any)
        {
            return errors.ToError();
        }

        if (walletSettings.Find(tenantId) is not { } settings)
        {
            return Error.NotFound("wallets_not_enabled", "This tenant has no wallets, so no campaigns.");
        }

        var count = await audience.CountAsync(tenantId, pins!, parsed!, cancellationToken);
        if (count.Customers > options.MaxAudience)
        {
            return new Error(ErrorKind.Validation, CampaignDispatcher.AudienceTooLarge, $"The audience is larger than {options.MaxAudience}; target fewer pin codes.");
        }

        return AudienceReader.Estimate(count, settings.CampaignPrices);
    }

    private static Error NotFound() => Error.NotFound("campaign_not_found", "No such campaign of yours.");

    private static string DefaultText(Offer offer) => $"{offer.Title}: {offer.DiscountPercent}% off until {offer.ValidUntil:yyyy-MM-dd}.";

    private static List<NotificationChannel>? ReadChannels(IReadOnlyList<string?>? raw, FieldErrors errors)
    {
        if (raw is null || raw.Count is 0 or > 3)
        {
            errors.Add("channels", "1 to 3 of in_app, push, whatsapp.");
            return null;
        }

        var list = new List<NotificationChannel>();
        foreach (var text in raw)
        {
            if (!CampaignChannels.TryParse(text, out var channel))
            {
                errors.Add("channels", "Each channel is in_app, push or whatsapp.");
                return null;
            }

            if (!list.Contains(channel))
            {
                list.Add(channel);
            }
        }

        list.Sort();
        return list;
    }
}
