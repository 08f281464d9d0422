namespace Shared.Domain.Invoices;

/// <summary>A page of an owner's invoices, newest first; <see cref="Continuation"/> fetches the next (null at the end).</summary>
public sealed record InvoicePage(IReadOnlyList<Invoice> Items, string? Continuation);
