namespace Functions.Api.Billing;

/// <summary>Where to send the browser to pay, and the checkout session's id.</summary>
public sealed record CheckoutResponse(string CheckoutUrl, string SessionId);
