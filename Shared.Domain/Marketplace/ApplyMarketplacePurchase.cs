using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Domain.Tenants;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The webhooks of item purchases (metadata <c>purpose=marketplace_purchase</c>). Each reads the purchase (our id from
/// the metadata) and the buyer's entitlement, decides, and writes purchase, entitlement and earnings in one conditional
/// change, retried when a concurrent delivery got there first; so however often and in whatever order the events come:
/// <list type="bullet">
/// <item>the paid completion marks the purchase completed once, records the creator's sale once and entitles the buyer
/// (unless the purchase was refunded in full already: then no one is entitled; whatever was refunded before the
/// completion is reversed with the sale);</item>
/// <item>a refund (charge.refunded carries the cumulative refunded amount) records the new amount once and, when the
/// purchase is completed, reverses the creator's share of the increment once, under a key naming the cumulative amount
/// (see <see cref="CreatorShare.Reversed"/> for the rounding); a replay or an older, smaller amount changes nothing.
/// Only a refund reaching the price takes the item back: the entitlement it granted moves to another purchase of the
/// same buyer that is still paid for (a second session paid too) or, when there is none, is revoked. Seen before the
/// completion, a refund is only recorded, for the completion to see.</item>
/// </list>
/// Every change that has an entitlement to consider writes it (unchanged if need be) under its version, so changes of
/// two purchases of the same item and buyer are serialized and each decides on the other's latest state.
/// An event about a buyer or creator erased since the checkout (a tombstone in <see cref="IErasureRegistry"/>) is
/// applied under their pseudonym (<see cref="ErasedUserKey.PseudonymOf"/>, as the erasure de-identified their payment
/// records), so it never writes the erased id back; an erased buyer is entitled to nothing (the sale is still recorded:
/// the money was paid, for an admin to refund).
/// </summary>
public sealed class ApplyMarketplacePurchase(IMarketplaceSalesStore sales, IErasureRegistry erasures, TimeProvider time)
{
    private const int Attempts = 20;

    public static Error Busy { get; } = new(ErrorKind.Conflict, "purchase_busy", "The purchase changed concurrently too often; the event will be retried.");

    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, CheckoutCompleted e, CancellationToken cancellationToken)
    {
        if (e.Mode != "payment")
        {
            return StripeEventRules.Invalid(e, "an item purchase is a payment-mode checkout");
        }

        if (e.PaymentStatus != "paid")
        {
            return WebhookOutcome.Ignored; // not paid (yet): nothing to grant
        }

        if (!MarketplacePayments.TryRead(e.Metadata, tenant.Id, out var read))
        {
            return StripeEventRules.Invalid(e, "the marketplace purchase metadata is incomplete");
        }

        if (e.AmountTotal is not { } total || total != read.Price)
        {
            return StripeEventRules.Invalid(e, $"the amount paid ({e.AmountTotal}) is not the item's price at checkout ({read.Price})");
        }

        var (terms, buyerErased) = await DeIdentifiedAsync(read, cancellationToken);

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var snapshot = await sales.ReadAsync(tenant.Id, terms.ItemId, terms.PurchaseId, terms.BuyerId, cancellationToken);
            if (snapshot.Purchase is { CompletedAt: not null })
            {
                return WebhookOutcome.Duplicate;
            }

            var purchase = (snapshot.Purchase ?? New(terms)) with { SessionId = e.SessionId, CompletedAt = now };
            var earnings = new List<EarningsEntry> { Entry(purchase, EarningsKind.Sale, now) };
            if (Reversal(purchase, 0, purchase.RefundedCents, now) is { } reversal)
            {
                earnings.Add(reversal); // refunded (in part or whole) before we saw it paid: sold and that much given back
            }

            // Refunded in full: no one is entitled. A first purchase, or a new one after a refunded one: entitled. An
            // active entitlement of another purchase (a second session paid too) stays with it, written unchanged so a
            // concurrent refund of that purchase decides again and can hand it over to this one.
            var entitlement = snapshot.Entitlement;
            if (!buyerErased && !purchase.IsFullyRefunded && snapshot.Entitlement is not { IsActive: true })
            {
                entitlement = new Entitlement(tenant.Id, terms.ItemId, terms.BuyerId, purchase.Id, now, null);
            }

            var change = new PurchaseChange(purchase, snapshot.PurchaseVersion, entitlement, entitlement is null ? null : snapshot.EntitlementVersion, earnings);
            if (await sales.TryApplyAsync(change, cancellationToken))
            {
                return WebhookOutcome.Applied;
            }
        }

        return Busy;
    }

    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, ChargeRefunded e, CancellationToken cancellationToken)
    {
        if (!MarketplacePayments.TryRead(e.Metadata, tenant.Id, out var read))
        {
            return StripeEventRules.Invalid(e, "the marketplace purchase metadata is incomplete");
        }

        if (e.AmountRefunded.MinorUnits == 0)
        {
            return WebhookOutcome.Ignored;
        }

        if (e.AmountRefunded.Currency != read.Price.Currency || e.AmountRefunded.MinorUnits > read.Price.MinorUnits)
        {
            return StripeEventRules.Invalid(e, $"the amount refunded ({e.AmountRefunded}) is not within the item's price at checkout ({read.Price})");
        }

        var (terms, _) = await DeIdentifiedAsync(read, cancellationToken);

        var refunded = e.AmountRefunded.MinorUnits;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var snapshot = await sales.ReadAsync(tenant.Id, terms.ItemId, terms.PurchaseId, terms.BuyerId, cancellationToken);
            var before = snapshot.Purchase ?? New(terms);
            if (before.RefundedCents >= refunded)
            {
                return WebhookOutcome.Duplicate; // this amount (or a later, larger one) was applied already
            }

            var purchase = before with { RefundedCents = refunded, RefundedAt = refunded >= before.Price.MinorUnits ? now : null };
            IReadOnlyList<EarningsEntry> earnings = purchase.CompletedAt is not null && Reversal(purchase, before.RefundedCents, refunded, now) is { } reversal ? [reversal] : [];
            var entitlement = snapshot.Entitlement;
            if (purchase.IsFullyRefunded && snapshot.Entitlement is { IsActive: true } held && held.PurchaseId == purchase.Id)
            {
                var others = await sales.ListPurchasesAsync(tenant.Id, terms.ItemId, terms.BuyerId, cancellationToken);
                var still = others.Where(p => p.Id != purchase.Id && p.IsPaidFor).OrderBy(p => p.CompletedAt).ThenBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault();
                entitlement = still is null ? held with { RevokedAt = now } : held with { PurchaseId = still.Id };
            }

            var change = new PurchaseChange(purchase, snapshot.PurchaseVersion, entitlement, entitlement is null ? null : snapshot.EntitlementVersion, earnings);
            if (await sales.TryApplyAsync(change, cancellationToken))
            {
                return WebhookOutcome.Applied;
            }
        }

        return Busy;
    }

    /// <summary>The terms with an erased buyer or creator replaced by their pseudonym, and whether the buyer was erased.</summary>
    private async Task<(PurchaseTerms Terms, bool BuyerErased)> DeIdentifiedAsync(PurchaseTerms terms, CancellationToken cancellationToken)
    {
        var buyerErased = await erasures.IsErasedAsync(terms.TenantId, terms.BuyerId, cancellationToken);
        if (buyerErased)
        {
            terms = terms with { BuyerId = ErasedUserKey.PseudonymOf(terms.TenantId, terms.BuyerId) };
        }

        if (await erasures.IsErasedAsync(terms.TenantId, terms.CreatorId, cancellationToken))
        {
            terms = terms with { CreatorId = ErasedUserKey.PseudonymOf(terms.TenantId, terms.CreatorId) };
        }

        return (terms, buyerErased);
    }

    private static Purchase New(PurchaseTerms terms) =>
        new(terms.TenantId, terms.PurchaseId, terms.ItemId, terms.BuyerId, terms.CreatorId, terms.Price, terms.CreatorShareCents, null, null, null);

    private static EarningsEntry Entry(Purchase purchase, EarningsKind kind, DateTimeOffset at) =>
        new(purchase.TenantId, purchase.Id, kind, purchase.CreatorId, purchase.ItemId, purchase.CreatorShareCents, purchase.Price.Currency, at);

    /// <summary>The reversal of the share refunded between two cumulative amounts, keyed by the later one; null when it rounds to nothing.</summary>
    private static EarningsEntry? Reversal(Purchase purchase, long fromCents, long throughCents, DateTimeOffset at)
    {
        var amount = CreatorShare.Reversed(purchase.CreatorShareCents, purchase.Price.MinorUnits, throughCents) - CreatorShare.Reversed(purchase.CreatorShareCents, purchase.Price.MinorUnits, fromCents);
        return amount == 0 ? null : new(purchase.TenantId, purchase.Id, EarningsKind.Reversal, purchase.CreatorId, purchase.ItemId, -amount, purchase.Price.Currency, at, throughCents);
    }
}
