namespace Shared.Domain.Invoices;

/// <summary>One line: <see cref="Quantity"/> × <see cref="UnitAmount"/> = <see cref="Amount"/> (minor units, tax included).</summary>
public sealed record InvoiceLine(string Description, long Quantity, long UnitAmount, long Amount);
