using System.Globalization;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Starts a Checkout payment (payment mode, through the billing adapters: Stripe, or the local sandbox) for a paid,
/// listed item of another creator that the caller does not own an active entitlement to. Nothing is granted here: the
/// payment's webhook entitles the buyer once (<see cref="ApplyMarketplacePurchase"/>). The price and the tenant's
/// platform fee are frozen into the session's metadata under a purchase id derived, like the provider's idempotency key,
/// from everything the session's request carries (tenant, buyer, item, title, creator, price, currency, fee, redirect
/// URLs, the buyer's customer), the UTC day and the purchase of the buyer's last (revoked) entitlement: repeated calls
/// that day (a double click, a retry) answer the same session, so the buyer does not get two live sessions to pay; any
/// change of the request, the next day or a refund since the last purchase gives a new one. A second payment that
/// happens anyway (sessions of two days) is handled by the webhook: it is recorded, and a refund of either keeps the
/// buyer entitled while the other is still paid for.
/// </summary>
public sealed class StartItemPurchase(IMarketplaceStore items, IMarketplaceSalesStore sales, IPaymentCheckoutGateway gateway, IBillingStore billing, TimeProvider time)
{
    public static Error ItemIsFree { get; } = new(ErrorKind.Validation, "item_is_free", "This item is free: install it instead.");

    public static Error NotPurchasable { get; } = new(ErrorKind.Conflict, "item_not_purchasable", "This item is not on sale (pending verification, hidden or deleted).");

    public static Error AlreadyPurchased { get; } = new(ErrorKind.Conflict, "already_purchased", "You already own this item.");

    public async Task<Result<CheckoutSession>> HandleAsync(Tenant tenant, MarketplaceCaller caller, string itemId, string? successUrl, string? cancelUrl, CancellationToken cancellationToken)
    {
        var success = successUrl ?? tenant.CheckoutSuccessUrl;
        var cancel = cancelUrl ?? tenant.CheckoutCancelUrl;
        var fields = new FieldErrors();
        CheckoutRules.CheckRedirect(tenant, "success_url", success, fields);
        CheckoutRules.CheckRedirect(tenant, "cancel_url", cancel, fields);
        if (fields.Any)
        {
            return fields.ToError();
        }

        var item = MarketplaceErrors.IsItemId(itemId) ? await items.GetAsync(tenant.Id, itemId, cancellationToken) : null;
        var entitlement = item is null ? null : await sales.GetEntitlementAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        if (item is null || !MarketplaceCatalog.CanSee(item, caller, entitlement is { IsActive: true }))
        {
            return MarketplaceErrors.ItemNotFound;
        }

        if (item.CreatorId == caller.Id)
        {
            return MarketplaceErrors.OwnItem;
        }

        if (entitlement is { IsActive: true })
        {
            return AlreadyPurchased;
        }

        if (!item.IsListed)
        {
            return NotPurchasable;
        }

        if (item.Details.IsFree)
        {
            return ItemIsFree;
        }

        // Every parameter of the provider's request is in the key (Stripe refuses a key reused with other parameters),
        // so the same request that day answers the same session and any change gives a new one.
        var customer = await billing.FindCustomerAsync(tenant.Id, caller.Id, cancellationToken);
        var key = CheckoutRules.Key(
            "marketplace-purchase",
            tenant.Id.Value,
            caller.Id.Value,
            item.Id,
            item.Details.Title,
            item.CreatorId.Value,
            item.Details.Price.MinorUnits.ToString(CultureInfo.InvariantCulture),
            item.Details.Price.Currency,
            tenant.Marketplace.PlatformFeeBasisPoints.ToString(CultureInfo.InvariantCulture),
            success,
            cancel,
            customer ?? "",
            time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            entitlement?.PurchaseId ?? "");

        // The purchase id is the key's first 128 bits as a GUID (the form purchase ids are checked for).
        var purchaseId = new Guid(Convert.FromHexString(key.AsSpan(0, 32)), bigEndian: true).ToString("D");
        var metadata = MarketplacePayments.Metadata(tenant.Id, caller.Id, purchaseId, item, tenant.Marketplace.PlatformFeeBasisPoints);
        var request = new PaymentCheckoutRequest(tenant.Id, caller.Id, customer, item.Details.Price, 1, item.Details.Title, metadata, success, cancel, "marketplace-purchase:" + purchaseId);
        return await gateway.CreatePaymentCheckoutAsync(request, cancellationToken);
    }
}
