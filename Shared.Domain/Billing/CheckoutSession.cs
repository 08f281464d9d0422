namespace Shared.Domain.Billing;

public sealed record CheckoutSession(string Id, string Url);
