using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>
/// The offer use cases: shopkeepers create, update and delete their own offers (someone else's is 404, as if it did not
/// exist); customers list the active offers of a pin code and like or unlike them.
/// </summary>
public sealed class OfferCatalog(IOfferStore store, TimeProvider time)
{
    public const int TitleMax = 120;
    public const int DescriptionMax = 2000;
    public const int PageSize = 50;
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(366);

    public async Task<Result<Offer>> CreateAsync(TenantId tenantId, UserId shopkeeper, OfferInput input, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Validate(input, now) is not { } valid)
        {
            return Invalid(input, now);
        }

        var offer = new Offer(Offer.NewId(), tenantId, shopkeeper, valid.Title, valid.Description, valid.Discount, valid.PinCodes, valid.From, valid.Until, 0, now, now);
        await store.CreateAsync(offer, cancellationToken);
        return offer;
    }

    public async Task<Result<Offer>> UpdateAsync(TenantId tenantId, UserId shopkeeper, string offerId, OfferInput input, CancellationToken cancellationToken)
    {
        if (await OwnAsync(tenantId, shopkeeper, offerId, cancellationToken) is not { } existing)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        if (Validate(input, now) is not { } valid)
        {
            return Invalid(input, now);
        }

        var updated = existing with { Title = valid.Title, Description = valid.Description, DiscountPercent = valid.Discount, PinCodes = valid.PinCodes, ValidFrom = valid.From, ValidUntil = valid.Until, UpdatedAt = now };
        return await store.UpdateAsync(updated, cancellationToken) ? updated : NotFound();
    }

    public async Task<Result<bool>> DeleteAsync(TenantId tenantId, UserId shopkeeper, string offerId, CancellationToken cancellationToken)
    {
        if (await OwnAsync(tenantId, shopkeeper, offerId, cancellationToken) is null)
        {
            return NotFound();
        }

        return await store.DeleteAsync(tenantId, offerId, cancellationToken) ? true : NotFound();
    }

    public async Task<Result<OfferPage>> ListAsync(TenantId tenantId, string? pinCode, string? continuation, CancellationToken cancellationToken)
    {
        if (!PinCodes.IsValid(pinCode))
        {
            return Error.Validation("pin_code", "Required: 3 to 10 letters, digits or '-'.");
        }

        string? after = null;
        if (continuation is { Length: > 0 })
        {
            if (!ContinuationText.TryDecode(continuation, out var plain) || !plain.StartsWith("off_", StringComparison.Ordinal) || plain.Length > 40)
            {
                return new Error(ErrorKind.Validation, "invalid_continuation", "The continuation is not one this list returned.");
            }

            after = plain;
        }

        var items = await store.ListActiveAsync(tenantId, pinCode!.ToUpperInvariant(), time.GetUtcNow(), after, PageSize, cancellationToken);
        return new OfferPage(items, items.Count == PageSize ? ContinuationText.Encode(items[^1].Id) : null);
    }

    public async Task<Result<long>> LikeAsync(TenantId tenantId, UserId userId, string offerId, bool like, CancellationToken cancellationToken)
    {
        // Only an offer customers can see can be liked; unliking works on any existing offer.
        var offer = Offer.IsId(offerId) ? await store.GetAsync(tenantId, offerId, cancellationToken) : null;
        if (offer is null || (like && !offer.IsActiveAt(time.GetUtcNow())))
        {
            return NotFound();
        }

        var count = like ? await store.LikeAsync(tenantId, offerId, userId, cancellationToken) : await store.UnlikeAsync(tenantId, offerId, userId, cancellationToken);
        return count is { } value ? value : NotFound();
    }

    private async Task<Offer?> OwnAsync(TenantId tenantId, UserId shopkeeper, string offerId, CancellationToken cancellationToken) =>
        Offer.IsId(offerId) && await store.GetAsync(tenantId, offerId, cancellationToken) is { } offer && offer.ShopkeeperId == shopkeeper ? offer : null;

    private static Error NotFound() => Error.NotFound("offer_not_found", "No such offer of yours.");

    private sealed record Valid(string Title, string? Description, int Discount, IReadOnlyList<string> PinCodes, DateTimeOffset From, DateTimeOffset Until);

    private static Valid? Validate(OfferInput input, DateTimeOffset now) => Check(input, now, new FieldErrors());

    private static Error Invalid(OfferInput input, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        Check(input, now, errors);
        return errors.ToError();
    }

    private static Valid? Check(OfferInput input, DateTimeOffset now, FieldErrors errors)
    {
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > TitleMax || title.Any(char.IsControl))
        {
            errors.Add("title", $"1 to {TitleMax} printable characters.");
        }

        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (description is { Length: > DescriptionMax })
        {
            errors.Add("description", $"At most {DescriptionMax} characters.");
        }

        if (input.DiscountPercent is not (>= 1 and <= 100))
        {
            errors.Add("discount_percent", "A whole number from 1 to 100.");
        }

        var pins = PinCodes.Read(input.PinCodes, "pin_codes", errors);
        if (input.ValidFrom is null)
        {
            errors.Add("valid_from", "Required.");
        }

        if (input.ValidUntil is not { } until)
        {
            errors.Add("valid_until", "Required.");
        }
        else if (until <= now)
        {
            errors.Add("valid_until", "Must be in the future.");
        }
        else if (input.ValidFrom is { } from && (until <= from || until - from > MaxValidity))
        {
            errors.Add("valid_until", $"After valid_from, and at most {MaxValidity.TotalDays:0} days after it.");
        }

        return errors.Any ? null : new Valid(title!, description, input.DiscountPercent!.Value, pins!, input.ValidFrom!.Value.ToUniversalTime(), input.ValidUntil!.Value.ToUniversalTime());
    }
}
