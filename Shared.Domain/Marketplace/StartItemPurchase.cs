using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Starts a Checkout payment (payment mode, through the billing adapters: Stripe, or the local sandbox) for a paid,
/// listed item of another creator that the caller does not own an active entitlement to. Nothing is granted here: the
/// payment's webhook entitles the buyer once (<see cref="ApplyMarketplacePurchase"/>). The price and the tenant's
/// platform fee are frozen into the session's metadata under a new purchase id; each call is a new session.
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

        var purchaseId = Guid.CreateVersion7(time.GetUtcNow()).ToString("D");
        var metadata = MarketplacePayments.Metadata(tenant.Id, caller.Id, purchaseId, item, tenant.Marketplace.PlatformFeeBasisPoints);
        var customer = await billing.FindCustomerAsync(tenant.Id, caller.Id, cancellationToken);
        var request = new PaymentCheckoutRequest(tenant.Id, caller.Id, customer, item.Details.Price, 1, item.Details.Title, metadata, success, cancel, "marketplace-purchase:" + purchaseId);
        return await gateway.CreatePaymentCheckoutAsync(request, cancellationToken);
    }
}
