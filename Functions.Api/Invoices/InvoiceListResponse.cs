namespace Functions.Api.Invoices;

/// <summary>A page of the caller's invoices, newest first; <c>continuation</c> fetches the next (null at the end).</summary>
public sealed record InvoiceListResponse(IReadOnlyList<InvoiceResponse> Items, string? Continuation);
