namespace Shared.Domain.Billing;

/// <summary>
/// One-time payments through Checkout in payment mode, for amounts this backend computes (wallet top-ups, credit packs);
/// implemented by the same adapters as <see cref="IPaymentGateway"/> (Stripe.net, the local sandbox). A port of its own
/// so that adding it changes no existing implementation of the subscription gateway.
/// </summary>
public interface IPaymentCheckoutGateway
{
    Task<Common.Result<CheckoutSession>> CreatePaymentCheckoutAsync(PaymentCheckoutRequest request, CancellationToken cancellationToken);
}
