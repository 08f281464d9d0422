using System.Globalization;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Wallets;

/// <summary>
/// The webhooks of wallet payments (metadata <c>purpose=wallet_top_up</c>): a paid checkout
/// (<c>checkout.session.completed</c> paid, or <c>checkout.session.async_payment_succeeded</c>) credits the wallet once,
/// keyed by its session (<c>top-up:{session}</c>), however often and in whatever order its events arrive; a refund of
/// the charge takes back the refunded units that are left (<see cref="WalletService.RefundPaymentAsync"/>, keyed by
/// the payment and its cumulative refunded amount), never below zero, recording the shortfall.
/// <para>
/// Order: the credit and the refunds of one payment share a ledger reference, the top-up id both carry in their
/// metadata (<see cref="WalletPayments.TopUpIdKey"/>). A refund that arrives before the credit is applied at once (it
/// takes what is available, recording the rest as a shortfall) and the credit, when it lands, takes back that
/// shortfall from itself (<see cref="WalletLedger.Plan"/>), so the balance ends the same in either order. We chose this
/// over answering the early refund with a retryable 409 because it converges without depending on Stripe's retry
/// schedule (up to three days) and the refund is visible in the ledger the moment it is known.
/// </para>
/// </summary>
public sealed class ApplyWalletPayment(WalletService wallets, IWalletSettingsSource settings, Invoices.IInvoiceIssuer invoices)
{
    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, CheckoutCompleted e, CancellationToken cancellationToken)
    {
        if (e.Mode != "payment")
        {
            return StripeEventRules.Invalid(e, "a wallet top-up is a payment-mode checkout");
        }

        if (e.PaymentStatus != "paid")
        {
            return WebhookOutcome.Ignored; // not paid (yet): nothing to credit
        }

        if (!TryRead(e.Metadata, out var wallet, out var quantity, out var unit, tenant) || settings.Find(tenant.Id) is not { } configured)
        {
            return StripeEventRules.Invalid(e, "the wallet metadata is incomplete, or the tenant has no wallets");
        }

        // What was paid must be what was asked: quantity × unit price in the wallet currency.
        if (e.AmountTotal is not { } total || total.Currency != configured.Currency || total.MinorUnits != quantity * unit)
        {
            return StripeEventRules.Unresolvable(e, $"the amount paid ({e.AmountTotal}) is not {quantity} × {unit} {configured.Currency}");
        }

        if (!WalletPayments.TryReadTopUpId(e.Metadata, out var topUpId))
        {
            return StripeEventRules.Invalid(e, "the top_up_id metadata is malformed");
        }

        var credited = await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, quantity, "top-up:" + e.SessionId, topUpId ?? e.SessionId, cancellationToken);
        var outcome = Outcome(credited);
        if (!outcome.IsSuccess)
        {
            return outcome;
        }

        // The top-up's invoice, issued once the credit is in (also on a replay: if an earlier delivery credited and then
        // stopped before this, Stripe's retry issues it now; the issuer answers the first invoice for the same top-up).
        var line = wallet.Kind == WalletKind.Money
            ? new Invoices.InvoiceLine($"Wallet top-up ({configured.Currency})", 1, total.MinorUnits, total.MinorUnits)
            : new Invoices.InvoiceLine("Credits", quantity, unit, total.MinorUnits);
        var invoice = await invoices.IssueAsync(new Invoices.InvoiceRequest(tenant.Id, wallet.UserId, Invoices.InvoiceSourceKind.TopUp, topUpId ?? e.SessionId, total.MinorUnits, configured.Currency, [line]), cancellationToken);
        return invoice.IsSuccess ? outcome : invoice.Error!;
    }

    public async Task<Result<WebhookOutcome>> HandleAsync(Tenant tenant, ChargeRefunded e, CancellationToken cancellationToken)
    {
        if (!TryRead(e.Metadata, out var wallet, out _, out var unit, tenant) || !WalletPayments.TryReadTopUpId(e.Metadata, out var topUpId))
        {
            return StripeEventRules.Invalid(e, "the wallet metadata is incomplete");
        }

        var units = e.AmountRefunded.MinorUnits / unit; // a partial refund of a credit pack takes back whole credits only
        if (units == 0)
        {
            return WebhookOutcome.Ignored;
        }

        var refunded = await wallets.RefundPaymentAsync(wallet, topUpId ?? e.ChargeId, units, cancellationToken);
        return Outcome(refunded);
    }

    private static Result<WebhookOutcome> Outcome(Result<WalletResult> result) =>
        !result.IsSuccess ? result.Error!
        : result.Value.Outcome switch
        {
            WalletOutcome.Applied => WebhookOutcome.Applied,
            WalletOutcome.Replayed or WalletOutcome.Superseded => WebhookOutcome.Duplicate,
            var other => new Error(ErrorKind.Conflict, "wallet_payment_refused", $"The wallet refused the payment's entry: {other}."),
        };

    private static bool TryRead(IReadOnlyDictionary<string, string> metadata, out WalletKey wallet, out long quantity, out long unit, Tenant tenant)
    {
        wallet = null!;
        quantity = unit = 0;
        if (!metadata.TryGetValue("user_id", out var user) || !UserId.TryParse(user, out var userId)
            || !metadata.TryGetValue(WalletPayments.WalletKey, out var kindText) || !WalletPayments.TryParseKind(kindText, out var kind)
            || !metadata.TryGetValue(WalletPayments.QuantityKey, out var quantityText) || !long.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out quantity) || quantity <= 0
            || !metadata.TryGetValue(WalletPayments.UnitAmountKey, out var unitText) || !long.TryParse(unitText, NumberStyles.None, CultureInfo.InvariantCulture, out unit) || unit <= 0)
        {
            return false;
        }

        wallet = new WalletKey(tenant.Id, userId.Value, kind);
        return true;
    }
}
