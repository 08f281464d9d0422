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
    TimeProvider time)
{
    public const int TextMax = 1000;

    public async Task<Result<Campaign>> CreateAsync(TenantId tenantId, UserId shopkeeper, CampaignInput input, CancellationToken cancellationToken)
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

        var campaign = new Campaign(Campaign.NewId(), tenantId, shopkeeper, offer.Id, pins!, channels!, text ?? DefaultText(offer), input.ScheduledAt?.ToUniversalTime(), CampaignStatus.Queued, null, now, now);
        await store.CreateAsync(campaign, cancellationToken);
        var job = new CampaignJob(tenantId, campaign.Id, null);
        await queue.SendAsync(QueueNames.CampaignDispatch, [job.ToMessage(campaign.ScheduledAt)], cancellationToken);
        return campaign;
    }

    /// <summary>The campaign if the caller is its shopkeeper; while it runs, sent and failed are the deliveries recorded so far.</summary>
    public async Task<Result<Campaign>> GetAsync(TenantId tenantId, UserId caller, string campaignId, CancellationToken cancellationToken)
    {
        var campaign = Campaign.IsId(campaignId) ? await store.GetAsync(tenantId, campaignId, cancellationToken) : null;
        if (campaign is null || campaign.ShopkeeperId != caller)
        {
            return NotFound();
        }

        if (!campaign.Settled && campaign.BatchCount is > 0)
        {
            var totals = await store.TotalsAsync(tenantId, campaignId, cancellationToken);
            campaign = campaign with { Sent = totals.Sent, Failed = totals.Failed, Skipped = totals.Skipped };
        }

        return campaign;
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

        var members = await audience.ReadAsync(tenantId, pins!, parsed!, cancellationToken);
        if (members is null)
        {
            return new Error(ErrorKind.Validation, "audience_too_large", $"The audience is larger than {options.MaxAudience}; target fewer pin codes.");
        }

        return AudienceReader.Estimate(members, settings.CampaignPrices);
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
