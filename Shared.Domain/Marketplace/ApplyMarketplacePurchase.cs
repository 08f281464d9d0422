using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The webhooks of item purchases (metadata <c>purpose=marketplace_purchase</c>). Each reads the purchase (our id from
/// the metadata) and the buyer's entitlement, decides, and writes purchase, entitlement and earnings in one conditional
/// change, retried when a concurrent delivery got there first; so however often and in whatever order the events come:
/// <list type="bullet">
/// <item>the paid completion marks the purchase completed once, records the creator's sale once and entitles the buyer
/// (unless the purchase was refunded already: then the sale and its reversal are both recorded and no one is entitled);</item>
/// <item>a refund (any amount: the item is no longer paid for) marks the purchase refunded once, revokes the
/// entitlement it granted and reverses the sale once; seen before the completion it is only recorded, for the
/// completion to see.</item>
/// </list>
/// </summary>
public sealed class ApplyMarketplacePurchase(IMarketplaceSalesStore sales, TimeProvider time)
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

        if (!MarketplacePayments.TryRead(e.Metadata, tenant.Id, out var terms))
        {
            return StripeEventRules.Invalid(e, "the marketplace purchase metadata is incomplete");
        }

        if (e.AmountTotal is not { } total || total != terms.Price)
        {
            return StripeEventRules.Invalid(e, $"the amount paid ({e.AmountTotal}) is not the item's price at checkout ({terms.Price})");
        }

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
            Entitlement? entitlement = null;
            if (purchase.RefundedAt is not null)
            {
                earnings.Add(Entry(purchase, EarningsKind.Reversal, now)); // refunded before we saw it paid: sold and given back
            }
            else if (snapshot.Entitlement is not { IsActive: true })
            {
                // A first purchase, or a new one after a refunded one. An active entitlement of another purchase (a second
                // session paid too) stays: that payment is recorded and an admin can refund it.
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
        if (!MarketplacePayments.TryRead(e.Metadata, tenant.Id, out var terms))
        {
            return StripeEventRules.Invalid(e, "the marketplace purchase metadata is incomplete");
        }

        if (e.AmountRefunded.MinorUnits == 0)
        {
            return WebhookOutcome.Ignored;
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var snapshot = await sales.ReadAsync(tenant.Id, terms.ItemId, terms.PurchaseId, terms.BuyerId, cancellationToken);
            if (snapshot.Purchase is { RefundedAt: not null })
            {
                return WebhookOutcome.Duplicate;
            }

            var purchase = (snapshot.Purchase ?? New(terms)) with { RefundedAt = now };
            IReadOnlyList<EarningsEntry> earnings = purchase.CompletedAt is null ? [] : [Entry(purchase, EarningsKind.Reversal, now)];
            var entitlement = snapshot.Entitlement is { IsActive: true } held && held.PurchaseId == purchase.Id ? held with { RevokedAt = now } : null;
            var change = new PurchaseChange(purchase, snapshot.PurchaseVersion, entitlement, entitlement is null ? null : snapshot.EntitlementVersion, earnings);
            if (await sales.TryApplyAsync(change, cancellationToken))
            {
                return WebhookOutcome.Applied;
            }
        }

        return Busy;
    }

    private static Purchase New(PurchaseTerms terms) =>
        new(terms.TenantId, terms.PurchaseId, terms.ItemId, terms.BuyerId, terms.CreatorId, terms.Price, terms.CreatorShareCents, null, null, null);

    private static EarningsEntry Entry(Purchase purchase, EarningsKind kind, DateTimeOffset at) =>
        new(purchase.TenantId, purchase.Id, kind, purchase.CreatorId, purchase.ItemId, kind == EarningsKind.Sale ? purchase.CreatorShareCents : -purchase.CreatorShareCents, purchase.Price.Currency, at);
}
