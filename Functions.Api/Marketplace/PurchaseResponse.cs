namespace Functions.Api.Marketplace;

/// <summary>Where to send the buyer to pay (Stripe Checkout, or the local sandbox's page) and the session's id.</summary>
public sealed record PurchaseResponse(string CheckoutUrl, string SessionId);
