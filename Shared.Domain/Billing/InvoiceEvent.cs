namespace Shared.Domain.Billing;

/// <summary>invoice.paid / invoice.payment_succeeded / invoice.payment_failed</summary>
public sealed record InvoiceEvent(
    string Id,
    string Type,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string InvoiceId,
    string CustomerId,
    string? SubscriptionId,
    Common.Money Amount) : BillingEvent(Id, Type, Created, Metadata)
{
    public bool Paid => Type is "invoice.paid" or "invoice.payment_succeeded";
}
