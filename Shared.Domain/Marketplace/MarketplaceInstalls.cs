using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Installs and ratings, the numbers that decide what people see first. An install counts once per user ever; creators
/// cannot install or rate their own items; only users who installed an item may rate it (for a paid item: who still
/// hold a live entitlement, as for installing), once (a second rating replaces the first). Paid items install only with an active entitlement (a paid, unrefunded purchase): else 402
/// purchase_required. Buyers keep what they paid for like installers keep what they installed: a hidden or deleted item
/// stays installable and rateable for them.
/// </summary>
public sealed class MarketplaceInstalls(IMarketplaceStore store, IMarketplaceSalesStore sales, IUserDirectory users, MarketplaceOptions options, TimeProvider time)
{
    public async Task<Result<InstallOutcome>> InstallAsync(Tenant tenant, MarketplaceCaller caller, string itemId, CancellationToken cancellationToken)
    {
        var item = MarketplaceErrors.IsItemId(itemId) ? await store.GetAsync(tenant.Id, itemId, cancellationToken) : null;
        if (item is null)
        {
            return MarketplaceErrors.ItemNotFound;
        }

        var installed = await store.HasInstalledAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        var entitlement = item.Details.IsFree ? null : await sales.GetEntitlementAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        var entitled = entitlement is { IsActive: true };
        if (!installed && !entitled && !item.IsListed)
        {
            return MarketplaceErrors.ItemNotFound;
        }

        if (item.CreatorId == caller.Id)
        {
            return MarketplaceErrors.OwnItem;
        }

        // A paid item needs an active entitlement; a refunded one (revoked) no longer reinstalls, even after an install.
        // (An install made while the item was free stays: it has no entitlement at all.)
        if (!item.Details.IsFree && !entitled && (!installed || entitlement is not null))
        {
            return MarketplaceErrors.PurchaseRequired;
        }

        return await store.InstallAsync(tenant.Id, itemId, caller.Id, time.GetUtcNow(), cancellationToken);
    }

    public async Task<Result<bool>> UninstallAsync(Tenant tenant, MarketplaceCaller caller, string itemId, CancellationToken cancellationToken)
    {
        if (!MarketplaceErrors.IsItemId(itemId) || !await store.HasInstalledAsync(tenant.Id, itemId, caller.Id, cancellationToken))
        {
            return MarketplaceErrors.ItemNotFound;
        }

        await store.UninstallAsync(tenant.Id, itemId, caller.Id, time.GetUtcNow(), cancellationToken);
        return true;
    }

    public async Task<Result<(ItemRating Rating, RatingSummary Summary)>> RateAsync(Tenant tenant, MarketplaceCaller caller, string itemId, int? stars, string? review, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (stars is not (>= 1 and <= 5))
        {
            errors.Add("stars", "A whole number from 1 to 5.");
        }

        if (review is not null && (review.Length > ItemRating.ReviewMax || !PlainText.IsClean(review, allowNewlines: true)))
        {
            errors.Add("review", $"At most {ItemRating.ReviewMax} characters of text.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var item = MarketplaceErrors.IsItemId(itemId) ? await store.GetAsync(tenant.Id, itemId, cancellationToken) : null;
        if (item is null)
        {
            return MarketplaceErrors.ItemNotFound;
        }

        // The same right as installing: a free item needs an install; a paid one a live entitlement (a past purchase
        // since refunded no longer counts, even with an install), or an install made while it was free (no entitlement
        // at all). Free items need no entitlement read.
        var installed = await store.HasInstalledAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        var entitlement = item.Details.IsFree ? null : await sales.GetEntitlementAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        var entitled = entitlement is { IsActive: true };
        if (!MarketplaceCatalog.CanSee(item, caller, installed || entitled))
        {
            return MarketplaceErrors.ItemNotFound;
        }

        if (item.CreatorId == caller.Id)
        {
            return MarketplaceErrors.OwnItem;
        }

        if (!item.Details.IsFree && !entitled && (!installed || entitlement is not null))
        {
            return MarketplaceErrors.PurchaseRequired;
        }

        if (!installed && !entitled)
        {
            return MarketplaceErrors.InstallRequired;
        }

        var rating = new ItemRating(tenant.Id, itemId, caller.Id, stars!.Value, string.IsNullOrEmpty(review) ? null : review, time.GetUtcNow());
        return (rating, await store.RateAsync(rating, cancellationToken));
    }

    public async Task<Result<RatingViewPage>> ListRatingsAsync(Tenant tenant, MarketplaceCaller caller, string itemId, int? limit, string? continuation, CancellationToken cancellationToken)
    {
        var max = limit ?? options.PageSizeDefault;
        if (max < 1 || max > options.PageSizeMax)
        {
            return Error.Validation("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        RatingCursor? after = null;
        if (!string.IsNullOrEmpty(continuation) && !TryDecode(continuation, itemId, out after))
        {
            return Error.Validation("continuation", "Not a continuation token of this list.");
        }

        var item = MarketplaceErrors.IsItemId(itemId) ? await store.GetAsync(tenant.Id, itemId, cancellationToken) : null;
        if (item is null || !MarketplaceCatalog.CanSee(item, caller, await store.HasInstalledAsync(tenant.Id, itemId, caller.Id, cancellationToken)))
        {
            return MarketplaceErrors.ItemNotFound;
        }

        var page = await store.ListRatingsAsync(tenant.Id, itemId, max, after, cancellationToken);
        var names = await DisplayNames.ReadAsync(users, tenant.Id, page.Items.Select(r => r.UserId), cancellationToken);
        var views = page.Items.Select(r => new RatingView(names[r.UserId], r.Stars, r.Review, r.UpdatedAt)).ToList();
        return new RatingViewPage(views, page.Next is { } next ? Encode(itemId, next) : null);
    }

    private static string Encode(string itemId, RatingCursor cursor) =>
        ContinuationText.Encode(string.Create(CultureInfo.InvariantCulture, $"r1|{itemId}|{cursor.UpdatedAtMs}|{cursor.UserId}"));

    private static bool TryDecode(string text, string itemId, out RatingCursor? cursor)
    {
        cursor = null;
        if (text.Length > SearchContinuation.MaxLength || !ContinuationText.TryDecode(text, out var plain))
        {
            return false;
        }

        if (plain.Split('|') is not ["r1", var item, var at, var user] || item != itemId
            || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var atMs) || !UserId.TryParse(user, out _))
        {
            return false;
        }

        cursor = new RatingCursor(atMs, user);
        return true;
    }
}
