namespace Functions.Api.Invoices;

/// <summary>One invoice line (minor units, tax included).</summary>
public sealed record InvoiceLineResponse(string Description, long Quantity, long UnitAmountCents, long AmountCents);
