using System.Globalization;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Wallets;

/// <summary>
/// Starts a Checkout payment for a wallet top-up: an amount (money wallet, in the tenant's wallet currency) or a number
/// of credits (credit wallet, at the tenant's credit price). Nothing is credited here: the payment's webhook credits it
/// once (<see cref="ApplyWalletPayment"/>). Each call is a new session (a user may top up the same amount twice).
/// </summary>
public sealed class StartWalletTopUp(IPaymentCheckoutGateway gateway, IBillingStore billing, IWalletSettingsSource settings)
{
    public async Task<Result<CheckoutSession>> HandleAsync(Tenant tenant, UserId userId, WalletKind kind, long? quantity, CancellationToken cancellationToken)
    {
        if (settings.Find(tenant.Id) is not { } configured)
        {
            return Error.NotFound("wallets_not_enabled", "This tenant has no wallets.");
        }

        Money unit;
        string field, product;
        long min, max;
        if (kind == WalletKind.Money)
        {
            (unit, field, product, min, max) = (new Money(1, configured.Currency), "amount_cents", $"{tenant.Name} wallet top-up", WalletPayments.MinTopUp, WalletPayments.MaxTopUp);
        }
        else if (configured.CreditPriceCents is { } price)
        {
            (unit, field, product, min, max) = (new Money(price, configured.Currency), "credits", $"{tenant.Name} credits", Math.Max(1, (WalletPayments.MinTopUp + price - 1) / price), WalletPayments.MaxCredits);
        }
        else
        {
            return Error.NotFound("credits_not_enabled", "This tenant does not sell credits.");
        }

        if (quantity is not { } count)
        {
            return Error.Validation(field, "Required.");
        }

        if (count < min || count > max)
        {
            return Error.Validation(field, $"From {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        }

        var topUpId = WalletPayments.NewTopUpId();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tenant_id"] = tenant.Id.Value,
            ["user_id"] = userId.Value,
            [WalletPayments.PurposeKey] = WalletPayments.Purpose,
            [WalletPayments.WalletKey] = WalletText.Format(kind),
            [WalletPayments.QuantityKey] = count.ToString(CultureInfo.InvariantCulture),
            [WalletPayments.UnitAmountKey] = unit.MinorUnits.ToString(CultureInfo.InvariantCulture),
            [WalletPayments.TopUpIdKey] = topUpId,
        };
        var customer = await billing.FindCustomerAsync(tenant.Id, userId, cancellationToken);
        var request = new PaymentCheckoutRequest(tenant.Id, userId, customer, unit, count, product, metadata, tenant.CheckoutSuccessUrl, tenant.CheckoutCancelUrl, "wallet-top-up:" + topUpId);
        return await gateway.CreatePaymentCheckoutAsync(request, cancellationToken);
    }
}
